#!/usr/bin/python3
"""A non-browser Sfu participant built on aiortc (Debian's python3-aiortc).

It joins a room over the signaling WebSocket (docs/signaling.md), optionally publishes a synthetic
video track (a moving pattern) and a 440 Hz tone, decodes every track the server forwards to it,
and prints JSON lines on stdout:

  {"event": "joined", "participantId": "...", "roomId": "..."}
  {"event": "track", "participantId": "...", "trackId": "...", "kind": "video", "mid": "0"}
  {"event": "stats", "participantId": "...", "received": [...], "sent": [...], "messages": [...]}

"received" has one entry per received track: {participantId, trackId, kind, mid, frames, width,
height}, where frames counts decoded frames. It stops (and prints "stats") when --duration
elapses, when every received video track has decoded --until-video-frames frames, on SIGINT or
SIGTERM, or at end of stdin with --stop-on-stdin-eof. Logs go to stderr.

Run with /usr/bin/python3 (the interpreter python3-aiortc is installed for).
"""

import argparse
import asyncio
import fractions
import json
import logging
import math
import signal
import sys
import threading
import time

import aioice.ice
import av
import numpy
import websockets
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
    VideoStreamTrack,
)
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp

log = logging.getLogger("aiortc_peer")


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class MovingPatternTrack(VideoStreamTrack):
    """Frames that change every time, so an encoder cannot collapse them into empty updates."""

    def __init__(self, width=640, height=480):
        super().__init__()
        self.width = width
        self.height = height
        ramp = numpy.linspace(0, 255, width, dtype=numpy.uint8)
        self.background = numpy.repeat(numpy.tile(ramp, (height, 1))[:, :, None], 3, axis=2)
        self.count = 0

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        image = self.background.copy()
        bar = (self.count * 8) % self.width
        image[:, bar : bar + 32, 1] = 255
        image[(self.count * 4) % self.height : (self.count * 4) % self.height + 16, :, 2] = 255
        self.count += 1
        frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


class ToneTrack(MediaStreamTrack):
    """A 440 Hz tone in 20 ms frames at 48 kHz (Opus' native rate, so no resampling)."""

    kind = "audio"
    rate = 48000
    samples = 960

    def __init__(self):
        super().__init__()
        self.start = None
        self.timestamp = 0

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self.start is None:
            self.start = time.time()
        else:
            self.timestamp += self.samples
            await asyncio.sleep(self.start + self.timestamp / self.rate - time.time())
        t = (numpy.arange(self.samples) + self.timestamp) / self.rate
        pcm = (numpy.sin(2 * math.pi * 440 * t) * 8000).astype(numpy.int16)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.pts = self.timestamp
        frame.sample_rate = self.rate
        frame.time_base = fractions.Fraction(1, self.rate)
        return frame


def msid_by_mid(sdp):
    """Maps each m-section's mid to its a=msid (stream id, track id).

    The server sets a=msid to "<publisherParticipantId> <trackId>". aiortc only copies the track id
    into RemoteStreamTrack.id when an a=msid-semantic line lists the stream, and never exposes the
    stream id, so read both from the SDP.
    """
    result = {}
    mid = None
    msid = None

    def flush():
        if mid is not None:
            result[mid] = msid

    for line in sdp.splitlines():
        if line.startswith("m="):
            flush()
            mid, msid = None, None
        elif line.startswith("a=mid:"):
            mid = line[len("a=mid:") :].strip()
        elif line.startswith("a=msid:"):
            bits = line[len("a=msid:") :].split()
            msid = (bits[0], bits[1] if len(bits) > 1 else None)
    flush()
    return result


class Peer:
    def __init__(self, args):
        self.args = args
        self.ws = None
        self.participant_id = None
        self.room_id = args.room
        config = RTCConfiguration(iceServers=[])
        self.publisher = RTCPeerConnection(config)
        self.subscriber = RTCPeerConnection(config)
        self.subscriber.on("track", self.on_track)
        self.published = False
        self.sub_msids = {}
        self.received = []
        self.messages = []
        self.consumers = []
        self.stop = asyncio.Event()
        self.lock = {"publisher": asyncio.Lock(), "subscriber": asyncio.Lock()}

    async def send(self, message):
        await self.ws.send(json.dumps(message))

    async def run(self):
        async with websockets.connect(self.args.url, max_size=None) as ws:
            self.ws = ws
            await self.send({"type": "join", "roomId": self.args.room, "participantName": self.args.name})
            reader = asyncio.ensure_future(self.read_loop())
            stopper = asyncio.ensure_future(self.stop.wait())
            done, _ = await asyncio.wait(
                [reader, stopper], timeout=self.args.duration, return_when=asyncio.FIRST_COMPLETED
            )
            if reader in done and reader.exception() is not None:
                log.error("signaling failed: %r", reader.exception())
            stats = await self.collect_stats()
            emit(stats)
            try:
                await self.send({"type": "leave"})
            except websockets.ConnectionClosed:
                pass
            reader.cancel()
            stopper.cancel()
        await self.close()
        return stats

    async def read_loop(self):
        async for raw in self.ws:
            message = json.loads(raw)
            self.messages.append(message.get("type"))
            log.info("<- %s", message.get("type"))
            if "sdp" in message:
                log.debug("%s %s sdp:\n%s", message.get("target"), message.get("type"), message["sdp"])
            await self.handle(message)
        log.info("signaling closed by server")

    async def handle(self, message):
        kind = message.get("type")
        target = message.get("target") or "publisher"
        if kind == "joined":
            self.participant_id = message.get("participantId")
            self.room_id = message.get("roomId", self.room_id)
            emit({"event": "joined", "participantId": self.participant_id, "roomId": self.room_id})
        elif kind == "request-offer":
            await self.publish_offer()
        elif kind == "answer" and target == "publisher":
            async with self.lock["publisher"]:
                await self.publisher.setRemoteDescription(RTCSessionDescription(message["sdp"], "answer"))
        elif kind == "offer" and target == "subscriber":
            await self.answer_subscriber(message["sdp"])
        elif kind == "ice-candidate":
            await self.add_candidate(target, message.get("candidate") or {})
        elif kind == "error":
            log.error("server error %s: %s", message.get("code"), message.get("message"))
        elif kind == "server-shutdown":
            self.stop.set()

    async def publish_offer(self):
        if not self.args.publish:
            return
        async with self.lock["publisher"]:
            if not self.published:
                self.publisher.addTrack(MovingPatternTrack(self.args.width, self.args.height))
                self.publisher.addTrack(ToneTrack())
                self.published = True
            # aiortc gathers all candidates inside setLocalDescription, so the SDP is complete.
            await self.publisher.setLocalDescription(await self.publisher.createOffer())
            await self.send(
                {"type": "offer", "roomId": self.room_id, "sdp": self.publisher.localDescription.sdp, "target": "publisher"}
            )

    async def answer_subscriber(self, sdp):
        async with self.lock["subscriber"]:
            self.sub_msids.update(msid_by_mid(sdp))
            await self.subscriber.setRemoteDescription(RTCSessionDescription(sdp, "offer"))
            await self.subscriber.setLocalDescription(await self.subscriber.createAnswer())
            await self.send(
                {"type": "answer", "roomId": self.room_id, "sdp": self.subscriber.localDescription.sdp, "target": "subscriber"}
            )

    async def add_candidate(self, target, init):
        text = init.get("candidate") or ""
        if not text:
            return
        candidate = candidate_from_sdp(text.split(":", 1)[1] if text.startswith("candidate:") else text)
        candidate.sdpMid = init.get("sdpMid")
        candidate.sdpMLineIndex = init.get("sdpMLineIndex")
        pc = self.publisher if target == "publisher" else self.subscriber
        await pc.addIceCandidate(candidate)

    def on_track(self, track):
        mid = None
        for transceiver in self.subscriber.getTransceivers():
            if transceiver.receiver.track is track:
                mid = transceiver.mid
        stream_id, track_id = self.sub_msids.get(mid) or (None, None)
        entry = {
            "participantId": stream_id,
            "trackId": track_id or track.id,
            "kind": track.kind,
            "mid": mid,
            "frames": 0,
            "width": 0,
            "height": 0,
        }
        self.received.append(entry)
        emit({"event": "track", **{k: entry[k] for k in ("participantId", "trackId", "kind", "mid")}})
        self.consumers.append(asyncio.ensure_future(self.consume(track, entry)))

    async def consume(self, track, entry):
        # Reading every frame both counts decodes and keeps aiortc's per-track queue from growing.
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            entry["frames"] += 1
            if track.kind == "video":
                entry["width"], entry["height"] = frame.width, frame.height
                self.check_done()

    def check_done(self):
        wanted = self.args.until_video_frames
        if wanted is None:
            return
        videos = [e for e in self.received if e["kind"] == "video"]
        if videos and all(e["frames"] >= wanted for e in videos):
            self.stop.set()

    async def collect_stats(self):
        sent = []
        for stats in (await self.publisher.getStats()).values():
            if stats.type == "outbound-rtp":
                sent.append({"kind": stats.kind, "packetsSent": stats.packetsSent, "bytesSent": stats.bytesSent})
        return {
            "event": "stats",
            "participantId": self.participant_id,
            "received": self.received,
            "sent": sent,
            "messages": self.messages,
        }

    async def close(self):
        for task in self.consumers:
            task.cancel()
        await self.publisher.close()
        await self.subscriber.close()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="signaling WebSocket, e.g. ws://127.0.0.1:8080/ws")
    parser.add_argument("--room", required=True)
    parser.add_argument("--name", default="aiortc")
    parser.add_argument("--publish", action="store_true", help="send synthetic video and audio")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds before stopping")
    parser.add_argument("--until-video-frames", type=int, default=None)
    parser.add_argument("--stop-on-stdin-eof", action="store_true")
    parser.add_argument(
        "--host-address",
        default="127.0.0.1",
        help="the only local address aioice offers; 'auto' keeps aioice's own discovery",
    )
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args(argv)


async def main(argv):
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    for noisy in ("aioice", "aiortc", "websockets"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    if args.host_address != "auto":
        # aioice skips loopback interfaces, so on a loopback-only host it offers no candidate at all
        # (PEERS.md); ice.py calls this module-level function when gathering.
        aioice.ice.get_host_addresses = lambda *a, **k: [args.host_address]

    peer = Peer(args)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, peer.stop.set)
    if args.stop_on_stdin_eof:
        def wait_for_eof():
            sys.stdin.read()
            loop.call_soon_threadsafe(peer.stop.set)

        threading.Thread(target=wait_for_eof, daemon=True).start()
    await peer.run()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
