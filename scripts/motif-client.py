#!/usr/bin/env python3
"""A minimal motifd client using only Python's standard library.

    scripts/motif-client.py [SOCKET]      (default: $MOTIFD_SOCKET or /run/motifd/motifd.sock)

Subscribes to recognitions and prints one line per recognised motif.
"""
import json, os, socket, sys

path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MOTIFD_SOCKET", "/run/motifd/motifd.sock")
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
    sock.connect(path)
    stream = sock.makefile("rwb")
    hello = json.loads(stream.readline())
    print(f"connected to motifd {hello['version']}: {hello['input']}, {hello['motifs']} motifs", file=sys.stderr)
    stream.write(json.dumps({"request": "subscribe", "events": ["recognition"], "id": 1}).encode() + b"\n")
    stream.flush()
    for line in stream:
        event = json.loads(line)
        if event["event"] == "recognition":
            print(f"{event['time']}  {event['motif']}  confidence {event['confidence']:.2f}  "
                  f"{event['transposition']:+d} semitones  {event['bpm']:.0f} bpm")
        elif event["event"] == "error":
            print("error:", event["message"], file=sys.stderr)
