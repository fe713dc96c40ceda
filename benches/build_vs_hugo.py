#!/usr/bin/env python3
"""Clean-build benchmark: dcrsite vs Hugo on the same generated documentation corpus.

    python3 benches/build_vs_hugo.py [--sizes 1000,10000] [--runs 5] [--dcrsite PATH]

Generates the corpus with ../shared/bench/gen_corpus.py (Hugo layout) and lays it out for
dcrsite with ../shared/bench/dcrsite_layout.py (this repository's theme and site.yaml),
then builds each size with both tools, alternating runs so machine noise hits both
alike. Prints median wall time, pages per second, peak RSS (from /usr/bin/time -v) and
the ratio dcrsite/Hugo. Not part of `cargo test` or CI.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile

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
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo not installed (apt-get install hugo): measuring dcrsite alone")
    work = args.keep or tempfile.mkdtemp(prefix="dcrsite-bench-")
    version = subprocess.run([args.dcrsite, "--version"], capture_output=True, text=True).stdout.strip()
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1] if hugo else "-"
    print(f"{version}; hugo {hugo_version}; {os.cpu_count()} cores; {args.runs} runs each, alternating\n")
    print("| pages | tool | median wall | pages/s | peak RSS | time ratio | memory ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = os.path.join(work, f"corpus-{size}")
        site = os.path.join(work, f"dcrsite-{size}")
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, os.path.join(SHARED_BENCH, "gen_corpus.py"), "--pages", str(size),
                            "--out", corpus, "--tools", "hugo,mkdocs"], check=True, stdout=subprocess.DEVNULL)
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
        results = {"dcrsite": [], "hugo": []}
        for _ in range(args.runs):
            shutil.rmtree(os.path.join(site, "public"), ignore_errors=True)
            results["dcrsite"].append(timed([args.dcrsite, "build", "--root", site]))
            if hugo:
                out = os.path.join(work, f"hugo-out-{size}")
                shutil.rmtree(out, ignore_errors=True)
                results["hugo"].append(timed([hugo, "--quiet", "-d", out], cwd=os.path.join(corpus, "hugo")))
        med = {t: (statistics.median(s for s, _ in r), max(m for _, m in r)) for t, r in results.items() if r}
        for tool, (secs, rss) in med.items():
            ratio = ""
            if tool == "dcrsite" and "hugo" in med:
                ratio = f"| {secs / med['hugo'][0]:.2f}× | {rss / med['hugo'][1]:.2f}×"
            else:
                ratio = "| | "
            print(f"| {pages} | {tool} | {secs:.2f} s | {pages / secs:,.0f} | {rss:,.0f} MiB {ratio} |")
        if "dcrsite" in med:
            per_page_us = med["dcrsite"][0] / pages * 1e6
            print(f"|  | dcrsite per page | {per_page_us:.0f} µs | | | | |")
    print(f"\ncorpora in {work}")


if __name__ == "__main__":
    main()
