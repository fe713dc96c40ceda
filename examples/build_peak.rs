//! A clean `dcrsite build` (with the build cache, as a first CI run) on the system
//! allocator, counting the heap: prints the peak of live heap bytes and where the build
//! was when it reached it. With the system allocator, `heaptrack` can also see the
//! build (the `dcrsite` binary uses mimalloc, which heaptrack does not follow).
//!
//!     cargo build --release --example build_peak
//!     target/release/examples/build_peak SITE_ROOT [--no-cache]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the counters only
// observe the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("usage: build_peak SITE_ROOT"));
    let no_cache = args.next().as_deref() == Some("--no-cache");
    let options = dcrsite::site::BuildOptions {
        cache: (!no_cache).then(|| root.join(dcrsite::layout::CACHE)),
        root,
        ..Default::default()
    };
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    if std::env::var_os("BUILD_PEAK_TRACE").is_some() {
        // The live heap every 20 ms on stderr, to see which stage holds the peak.
        let start = std::time::Instant::now();
        std::thread::spawn(move || loop {
            let live = mib(LIVE.load(Ordering::Relaxed));
            eprintln!("{:6} ms {live:7.1} MiB", start.elapsed().as_millis());
            std::thread::sleep(std::time::Duration::from_millis(20));
        });
    }
    match dcrsite::build::build(&options, None, false) {
        Ok(summary) => println!(
            "{} pages in {:.2} s; heap peak {:.1} MiB, live at the end {:.1} MiB",
            summary.pages,
            summary.elapsed.as_secs_f64(),
            mib(PEAK.load(Ordering::Relaxed)),
            mib(LIVE.load(Ordering::Relaxed)),
        ),
        Err(failure) => {
            eprintln!("build failed: {:?}", failure.diagnostics);
            std::process::exit(1);
        }
    }
}
