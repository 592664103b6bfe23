"""A real SMTP server for spur's e-mail tests (aiosmtpd): every message it accepts is
appended to a file as one JSON line (recipients, subject, plain text), and the server
says "ready" once it listens. With a delay, it waits that many seconds before
answering the message's data, so that a test can kill spur in the middle of a send.

    python3 smtp_sink.py PORT OUT.jsonl [DELAY_SECONDS]
"""

import asyncio
import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, delay):
        self.out = out
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(message["subject"]),
            "body": message.get_content(),
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    controller = Controller(Sink(out, delay), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
