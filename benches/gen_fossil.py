#!/usr/bin/env python3
"""Writes N Fossil ticket artifacts (a creation and COMMENTS changes each)
into DIR, for `fossil reconstruct REPO DIR`: a large Fossil ticket store
without running the CLI N times. Same shape as examples/gen_store.rs.

    benches/gen_fossil.py DIR N [COMMENTS]
"""
import hashlib
import os
import sys
from datetime import datetime, timedelta


def enc(s):
    return s.replace("\\", "\\\\").replace(" ", "\\s").replace("\n", "\\n")


def artifact(path_dir, when, fields, uuid):
    body = "D %s\n" % when.strftime("%Y-%m-%dT%H:%M:%S.000")
    for k in sorted(fields):
        body += "J %s %s\n" % (k, enc(fields[k]))
    body += "K %s\nU bench\n" % uuid
    body += "Z %s\n" % hashlib.md5(body.encode()).hexdigest()
    data = body.encode()
    name = hashlib.sha3_256(data).hexdigest()
    with open(os.path.join(path_dir, name), "wb") as f:
        f.write(data)


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    comments = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    os.makedirs(out, exist_ok=True)
    start = datetime(2025, 1, 1)
    for i in range(n):
        uuid = hashlib.sha1(b"ticket %d" % i).hexdigest()
        at = start + timedelta(minutes=50 * i)
        artifact(out, at, {
            "title": "Synthetic ticket %d: printer says error %d" % (i, i % 97),
            "status": "Open",
            "type": "Code_Defect",
            "private_contact": "c%d@example%d.com" % (i, i % 50),
            "comment": "The printer in room 4 says error 42 again. " * 3,
        }, uuid)
        for c in range(comments):
            artifact(out, at + timedelta(minutes=5 * (c + 1)),
                     {"icomment": "Please try turning it off and on again."}, uuid)


main()
