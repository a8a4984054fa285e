# Captures aiortc-offer.sdp (Debian's python3-aiortc 1.4.0); run with /usr/bin/python3.
# aioice finds no host candidates on a loopback-only machine, hence the patch (see /work/shared/PEERS.md).
import asyncio
import sys

import aioice.ice

aioice.ice.get_host_addresses = lambda *a, **k: ["127.0.0.1"]
from aiortc import RTCConfiguration, RTCPeerConnection  # noqa: E402


async def main(path):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    pc.addTransceiver("audio", direction="sendrecv")
    pc.addTransceiver("video", direction="recvonly")
    pc.createDataChannel("x")
    await pc.setLocalDescription(await pc.createOffer())
    with open(path, "w", newline="") as f:
        f.write(pc.localDescription.sdp)
    await pc.close()


asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "aiortc-offer.sdp"))
