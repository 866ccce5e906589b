"""The temporary Prefect server of one klimamaal process, which dies with it.

Prefect's own temporary server is a child process that outlives a parent
killed with ``kill -9``. This one watches its parent and exits within a
second of it, so a killed ingest leaves no server behind.

Run as ``python -m flows.temp_server --port PORT --parent PID``.
"""

from __future__ import annotations

import argparse
import os
import threading
import time


def _watch(parent: int) -> None:
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(0)
        if os.getppid() != parent:
            os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True)
    args = parser.parse_args()
    threading.Thread(target=_watch, args=(args.parent,), daemon=True).start()
    import uvicorn

    uvicorn.run(
        "prefect.server.api.server:create_app",
        factory=True,
        host="127.0.0.1",
        port=args.port,
        log_level="error",
        lifespan="on",
    )


if __name__ == "__main__":
    main()
