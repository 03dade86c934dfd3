"""A real SMTP server for the tests that read the e-mails Guichet sends (aiosmtpd on a free loopback port)."""

import asyncio
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler that keeps what it receives, taking ``delay`` seconds over each message."""

    def __init__(self, delay=0.0):
        self.envelopes = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]

    def subjects(self):
        return [message["Subject"] for message in self.messages()]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(delay=0.0):
    """Start a server: (its controller, its SMTP_URL, what it received)."""
    inbox = Inbox(delay)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, f"smtp://127.0.0.1:{port}", inbox
