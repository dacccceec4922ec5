#!/usr/bin/env python3
"""Scores `note` events against note onsets derived from a benchmark's pitch truth.

    scripts/onset-score.py DATASET_DIR EVENTS.jsonl [--tolerance 0.05] [--conditions solo,...]

A truth onset is a voiced frame after an unvoiced one or a pitch change (the MIDI-derived
truth leaves a gap between repeated notes). Each truth onset matches at most one detected
onset within the tolerance (nearest first). Prints precision, recall and F1 per condition
for the monophonic scenes (those with pitch truth). Standard library only.
"""
import argparse, collections, csv, json, os, sys


def truth_onsets(path):
    onsets, previous = [], 0.0
    with open(path) as handle:
        for row in csv.DictReader(handle):
            t, f0 = float(row["t"]), float(row["f0"])
            if f0 > 0 and (previous <= 0 or abs(f0 - previous) > previous * 0.01):
                onsets.append(t)
            previous = f0
    return onsets


def match(truth, detected, tolerance):
    used, hits = set(), 0
    for t in truth:
        best = None
        for i, d in enumerate(detected):
            if i in used or abs(d - t) > tolerance:
                continue
            if best is None or abs(d - t) < abs(detected[best] - t):
                best = i
        if best is not None:
            used.add(best)
            hits += 1
    return hits


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("events")
    parser.add_argument("--tolerance", type=float, default=0.05)
    parser.add_argument("--conditions", default="solo,transposed,tempo,timbre,ornamented")
    args = parser.parse_args()
    conditions = {}
    with open(os.path.join(args.dataset, "scenes.csv")) as handle:
        for row in csv.DictReader(handle):
            conditions[row["source"]] = row["condition"]
    detected = collections.defaultdict(list)
    with open(args.events) as handle:
        for line in handle:
            event = json.loads(line)
            if event.get("event") == "note":
                name = os.path.splitext(os.path.basename(event["source"]))[0]
                detected[name].append(event["start"])
    totals = collections.defaultdict(lambda: [0, 0, 0])  # hits, truth, detected
    for source, condition in sorted(conditions.items()):
        if condition not in args.conditions.split(","):
            continue
        name = os.path.splitext(os.path.basename(source))[0]
        truth_path = os.path.join(args.dataset, "pitch_truth", name + ".csv")
        if not os.path.exists(truth_path):
            continue
        truth = truth_onsets(truth_path)
        hits = match(truth, sorted(detected[name]), args.tolerance)
        for key in (condition, "overall"):
            totals[key][0] += hits
            totals[key][1] += len(truth)
            totals[key][2] += len(detected[name])
    print(f"{'condition':12} {'truth':>6} {'found':>6} {'prec':>6} {'recall':>6} {'F1':>6}")
    for key, (hits, truth, found) in totals.items():
        precision = hits / found if found else 0
        recall = hits / truth if truth else 0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0
        print(f"{key:12} {truth:6} {found:6} {precision:6.3f} {recall:6.3f} {f1:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
