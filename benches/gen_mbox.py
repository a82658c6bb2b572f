#!/usr/bin/env python3
"""Writes a synthetic mbox for import benchmarks.

usage: gen_mbox.py OUT N

Threads of four: a customer's new message, then replies by In-Reply-To
and References, bodies of about 1-6 KB with quoted history, every tenth
message with a small attachment. Deterministic (seeded).
"""
import base64
import random
import sys


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(42)
    words = ("printer scanner error offline toner driver update network "
             "restart cable paper jam firmware invoice refund account login "
             "password reset screen").split()
    with open(out, "w", newline="\n") as f:
        thread = []
        for i in range(n):
            if i % 4 == 0:
                thread = []
                customer = f"Customer {i} <c{i}@example{i % 97}.com>"
                subject = f"{rnd.choice(words).title()} {rnd.choice(words)} problem #{i}"
            msgid = f"<msg{i}.{rnd.getrandbits(32):08x}@example.com>"
            paras = ["\n".join(" ".join(rnd.choice(words) for _ in range(12))
                               for _ in range(rnd.randint(2, 8)))
                     for _ in range(rnd.randint(1, 5))]
            body = "\n\n".join(paras)
            if thread:
                body += "\n\nOn Mon, 23 Nov 2026 at 10:00, Support wrote:\n" + \
                    "\n".join("> " + line for line in paras[0].splitlines())
            headers = [
                f"From: {customer}",
                "To: support@example.com",
                f"Subject: {'Re: ' if thread else ''}{subject}",
                f"Message-ID: {msgid}",
                f"Date: Mon, 23 Nov 2026 {10 + i % 10:02d}:{i % 60:02d}:00 +0000",
            ]
            if thread:
                headers.append(f"In-Reply-To: {thread[-1]}")
                headers.append("References: " + " ".join(thread))
            f.write(f"From c{i}@example.com Mon Nov 23 10:00:00 2026\n")
            if i % 10 == 5:
                boundary = f"b{i}"
                headers += ["MIME-Version: 1.0",
                            f'Content-Type: multipart/mixed; boundary="{boundary}"']
                payload = base64.encodebytes(bytes(rnd.getrandbits(8) for _ in range(2000))).decode()
                f.write("\n".join(headers) + "\n\n")
                f.write(f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
                        f"--{boundary}\nContent-Type: application/octet-stream\n"
                        f'Content-Disposition: attachment; filename="log{i}.bin"\n'
                        f"Content-Transfer-Encoding: base64\n\n{payload}--{boundary}--\n\n")
            else:
                f.write("\n".join(headers) + "\n\n" + body.replace("\nFrom ", "\n>From ") + "\n\n")
            thread.append(msgid)


if __name__ == "__main__":
    main()
