#!/usr/bin/env python3
"""bench/fcgi-poll.py: POST -> completed latency of N sequential small jobs, as a client
polling GET /jobs/{id} every 2 ms sees it, from one process speaking FastCGI to
worlds-api's socket (so no process is started per request, unlike cgi-fcgi).

    fcgi-poll.py SOCKET TOKEN BASE_PATH N SEED0

Prints "median M ms, p95 P ms" over the N jobs; exits 1 if a job does not complete.
"""
import json
import socket
import struct
import sys
import time

BEGIN, END, PARAMS, STDIN, STDOUT = 1, 3, 4, 5, 6


def record(rtype, content=b""):
    return struct.pack("!BBHHBB", 1, rtype, 1, len(content), 0, 0) + content


def pair(name, value):
    out = b""
    for part in (name, value):
        n = len(part)
        out += bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)
    return out + name + value


def request(sock_path, token, method, path, body=b""):
    params = {
        "REQUEST_METHOD": method, "DOCUMENT_URI": path, "SCRIPT_NAME": path,
        "REQUEST_URI": path, "QUERY_STRING": "", "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)), "HTTPS": "on", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_X_FORWARDED_PROTO": "https", "HTTP_AUTHORIZATION": "Bearer " + token,
    }
    blob = b"".join(pair(k.encode(), v.encode()) for k, v in params.items())
    msg = record(BEGIN, struct.pack("!HB5x", 1, 0)) + record(PARAMS, blob) + record(PARAMS)
    if body:
        msg += record(STDIN, body)
    msg += record(STDIN)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(sock_path)
        s.sendall(msg)
        data, out = b"", b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        while len(data) >= 8:
            _, rtype, _, clen, plen, _ = struct.unpack("!BBHHBB", data[:8])
            if rtype == STDOUT:
                out += data[8:8 + clen]
            data = data[8 + clen + plen:]
            if rtype == END:
                break
    finally:
        s.close()
    head, _, resp = out.partition(b"\r\n\r\n")
    return json.loads(resp or b"{}")


def main():
    sock_path, token, base, n, seed0 = sys.argv[1], sys.argv[2], sys.argv[3], \
        int(sys.argv[4]), int(sys.argv[5])
    lat = []
    for i in range(n):
        t0 = time.monotonic()
        body = json.dumps({"preset": "small", "seed": seed0 + i}).encode()
        job = request(sock_path, token, "POST", base + "/manifests", body)
        status = job.get("status")
        while status not in ("completed", "failed", "cancelled"):
            time.sleep(0.002)
            status = request(sock_path, token, "GET", base + "/jobs/" + job["id"]).get("status")
        if status != "completed":
            print("job %s: %s" % (job.get("id"), status))
            return 1
        lat.append((time.monotonic() - t0) * 1000)
    lat.sort()
    pick = lambda p: lat[max(0, (len(lat) * p + 99) // 100 - 1)]
    print("median %.1f ms, p95 %.1f ms" % (pick(50), pick(95)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
