"""An SMTP sink for tix's tests (see SmtpServer in mailserver.rs).

aiosmtpd on 127.0.0.1:PORT that keeps every message it accepts byte for
byte as DIR/<n>.eml, its envelope beside it as DIR/<n>.json, and refuses
recipients whose address starts with "unknown". It offers
STARTTLS, or with --implicit speaks TLS from the first byte; with --auth
USER PASSWORD it requires a login (PLAIN or LOGIN, only after STARTTLS
or with implicit TLS) before MAIL. Prints "ready" once it accepts connections, then runs until killed.

usage: smtp_sink.py PORT DIR CERT KEY [--implicit] [--auth USER PASSWORD]
"""

import argparse
import itertools
import json
import os
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keep:
    def __init__(self, directory):
        self.directory = directory
        self.count = itertools.count()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        base = os.path.join(self.directory, str(next(self.count)))
        envelope_data = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated": bool(session.authenticated),
        }
        with open(base + ".json", "w") as f:
            json.dump(envelope_data, f)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("dir")
    parser.add_argument("cert")
    parser.add_argument("key")
    parser.add_argument("--implicit", action="store_true")
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    args = parser.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    options = {}
    if args.auth:
        user, password = (s.encode() for s in args.auth)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == user
                and auth_data.password == password
            )
            return AuthResult(success=ok, handled=False)

        # aiosmtpd only counts STARTTLS as TLS: with implicit TLS it would
        # never offer AUTH, though the whole connection is encrypted.
        options.update(
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=not args.implicit,
        )
    if args.implicit:
        options.update(ssl_context=context)
    else:
        options.update(tls_context=context, require_starttls=False)
    controller = Controller(
        Keep(args.dir), hostname="127.0.0.1", port=args.port, **options
    )
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
