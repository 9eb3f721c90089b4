#!/usr/bin/env python3
"""Prints one markdown table of the rows of bench CSV files (vecgate `bench ann` and ann_peers.py).

  python3 bench/peers/csv2md.py results/*.csv > results/table.md
  python3 bench/peers/csv2md.py --at-recall 0.95 results/*.csv   # per engine and index: the fastest
                                                                 # single-thread row with recall@10 >= 0.95

Rows are grouped by index type (the part after "engine:") and kept in file order within a group,
so vecgate, faiss and hnswlib rows of the same index type sit together. Empty values print as "-".
"""
import csv
import sys

HEADER = ["index", "params", "sweep", "recall@1", "recall@10", "recall@100", "qps_1t", "qps_all",
          "p50_ms", "p99_ms", "build_s", "index_bytes"]


def human_bytes(v):
    n = float(v)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def main(args):
    at_recall = None
    if args[:1] == ["--at-recall"]:
        at_recall, args = float(args[1]), args[2:]
    paths = args
    if not paths:
        sys.exit("usage: csv2md.py [--at-recall R] FILE.csv ...")
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != HEADER:
                sys.exit(f"{path}: header is {header}, expected {HEADER}")
            rows.extend(reader)
    order = {}
    for r in rows:
        order.setdefault(r[0].split(":", 1)[-1], len(order))
    rows.sort(key=lambda r: order[r[0].split(":", 1)[-1]])  # stable: file order inside a group
    if at_recall is not None:
        best = {}
        for r in rows:
            if r[4] and float(r[4]) >= at_recall and (r[0] not in best or float(r[6]) > float(best[r[0]][6])):
                best[r[0]] = r
        rows = [r for r in rows if best.get(r[0]) is r]
    cols = HEADER[:-1] + ["index size"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---" if i < 3 else "---:" for i in range(len(cols))) + "|")
    for r in rows:
        cells = [c if c else "-" for c in r[:-1]] + [human_bytes(r[-1]) if r[-1] else "-"]
        cells[1] = cells[1].replace(",", ", ")  # let long parameter lists wrap
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
