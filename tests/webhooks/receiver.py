"""A webhook receiver for the integration tests (tests/api/webhooks.rs).

It checks every delivery with the Standard Webhooks reference library for Python
(PyPI `standardwebhooks`), an implementation independent of digidash's, and appends one JSON
line per request to the log file: the path, the headers, the body as received, and whether
the signature verified (with the library's error when it did not). It answers 204 when the
signature verified and 400 when it did not.

The secret is read from a file at every request: the test learns it from `createWebhook`,
which needs the receiver's URL first.

Usage: python receiver.py PORT SECRET_FILE LOG_FILE
Prints `listening on PORT` once it accepts connections.
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, SECRET_FILE, LOG_FILE = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            with open(SECRET_FILE, encoding="utf-8") as secret_file:
                secret = secret_file.read().strip()
            Webhook(secret).verify(body, headers)
            verified, error = True, None
        except (OSError, WebhookVerificationError, ValueError) as err:
            verified, error = False, f"{type(err).__name__}: {err}"
        entry = {
            "path": self.path,
            "headers": headers,
            "body": body.decode("utf-8", "replace"),
            "verified": verified,
            "error": error,
        }
        with open(LOG_FILE, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")
        self.send_response(204 if verified else 400)
        self.end_headers()

    def log_message(self, format, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
