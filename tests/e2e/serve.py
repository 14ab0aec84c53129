"""Serve a built site under a sub-path, as GitHub Pages serves a project site.

usage: python3 serve.py DIR PORT [PREFIX]   (PREFIX defaults to /kwiki/)
Only 127.0.0.1 is bound. Paths outside PREFIX are 404; a missing page gets DIR/404.html.
"""
import http.server
import os
import sys
from functools import partial

root, port = sys.argv[1], int(sys.argv[2])
prefix = sys.argv[3] if len(sys.argv) > 3 else "/kwiki/"


class Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean + "/" == prefix:
            clean = prefix
        if not clean.startswith(prefix):
            return os.path.join(root, "\0missing")
        return super().translate_path("/" + clean[len(prefix):])

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.exists(path) and os.path.exists(os.path.join(root, "404.html")):
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            body = open(os.path.join(root, "404.html"), "rb").read()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io
            return io.BytesIO(body)
        return super().send_head()

    def log_message(self, *args):
        pass


Handler.extensions_map.update({".js": "text/javascript", ".xml": "application/xml"})
class Server(http.server.ThreadingHTTPServer):
    # the default backlog of 5 drops connections when a checker opens many at once
    request_queue_size = 128


server = Server(("127.0.0.1", port), partial(Handler, directory=root))
server.serve_forever()
