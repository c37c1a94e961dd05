#!/usr/bin/env python3
"""An HTTP/1.1 keep-alive server on 127.0.0.1 that stalls: in the last STALL seconds of every EVERY
seconds since it started, every response is held until that window ends.

Usage: stall-server.py PORT [EVERY=10] [STALL=1]
"""
import asyncio
import sys
import time

PORT = int(sys.argv[1])
EVERY = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
STALL = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
START = time.monotonic()
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


def hold() -> float:
    phase = (time.monotonic() - START) % EVERY
    return EVERY - phase if phase >= EVERY - STALL else 0.0


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            delay = hold()
            if delay:
                await asyncio.sleep(delay)
            writer.write(RESPONSE)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(serve, "127.0.0.1", PORT, backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main())
