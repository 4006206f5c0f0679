#!/usr/bin/env python3
"""faulty-http-server.py ROOT PORTFILE LOG -- serves ROOT over HTTP on a free loopback port, with faults chosen
by the first path segment, for the tests of reading archives at URLs (Tests/PGDumpCLITests/HTTPInputTests.swift).

  /ok/PATH        honours Range (206), as nginx does
  /flaky500/PATH  the first request for PATH answers 500, later ones are served
  /drop/PATH      the first request for PATH sends half of its body, then closes the connection
  /norange/PATH   ignores Range: always 200 with the whole file
  /changing/PATH  answers with a strong ETag that changes after the first request for PATH (the file was
                  replaced), and honours If-Match: 412 when the ETag asked for is no longer the file's

Writes the port to PORTFILE once listening, and one line per request to LOG:
  METHOD /PATH RANGE STATUS BODY_BYTES_SENT
Standard library only.
"""
import http.server
import os
import re
import signal
import sys
import threading

root, port_file, log_file = sys.argv[1], sys.argv[2], sys.argv[3]
seen = set()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, status, sent):
        with lock, open(log_file, "a") as log:
            log.write(f"{self.command} {self.path} {self.headers.get('Range', '-')} {status} {sent}\n")

    def do_HEAD(self):
        self.serve(body=False)

    def do_GET(self):
        self.serve(body=True)

    def serve(self, body):
        parts = self.path.split("/", 2)
        mode, relative = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
        path = os.path.realpath(os.path.join(root, relative))
        if mode not in ("ok", "flaky500", "drop", "norange", "changing") or not path.startswith(os.path.realpath(root) + "/") \
                or not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.record(404, 0)
            return
        with lock:
            first = (mode, relative) not in seen
            seen.add((mode, relative))
        if mode == "flaky500" and first:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.record(500, 0)
            return
        etag = None
        if mode == "changing":
            etag = '"v1"' if first else '"v2"'
            wanted = self.headers.get("If-Match")
            if wanted is not None and wanted != etag:
                self.send_response(412)
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.record(412, 0)
                return
        size = os.path.getsize(path)
        start, end, status = 0, size - 1, 200
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if match and mode != "norange":
            start = int(match.group(1))
            end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
            status = 206
        length = end - start + 1
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        if not body:
            self.record(status, 0)
            return
        with open(path, "rb") as file:
            file.seek(start)
            data = file.read(length)
        if mode == "drop" and first:
            data = data[: length // 2]
            self.wfile.write(data)
            self.wfile.flush()
            self.record(status, len(data))
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(data)
        self.record(status, len(data))


# The test process may start this one with SIGTERM blocked: unblock it, and exit on it at once.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as out:
    out.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
