// Captures real Chromium SDP for the Sfu.WebRtc SDP parser tests.
// Usage (from a directory where `npm i playwright-core` was run):
//   NODE_PATH=$PWD/node_modules node capture-chrome-sdp.js OUTPUT_DIR
// See capture-chrome-offer.md.
const http = require('http');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const outDir = process.argv[2] || '.';

// A secure context is needed for getUserMedia; http://127.0.0.1 counts as one.
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>sdp capture</title>');
});

(async () => {
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const page = await browser.newPage();
  await page.goto(url);

  // Waits for ICE gathering so the offer carries real a=candidate lines and a=end-of-candidates.
  const helpers = `
    async function gathered(pc) {
      if (pc.iceGatheringState !== 'complete') {
        await new Promise(r => {
          pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') r(); });
          setTimeout(r, 5000);
        });
      }
      return pc.localDescription.sdp;
    }`;

  // (1) audio + video via addTrack (sendrecv) plus an extra sendonly audio transceiver and a data channel.
  const avOffer = await page.evaluate(`(async () => { ${helpers}
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    const pc = new RTCPeerConnection({ iceServers: [] });
    for (const t of stream.getTracks()) pc.addTrack(t, stream);
    pc.addTransceiver('audio', { direction: 'sendonly' });
    pc.createDataChannel('chat');
    await pc.setLocalDescription(await pc.createOffer());
    return await gathered(pc);
  })()`);
  fs.writeFileSync(path.join(outDir, 'chrome-offer-audio-video.sdp'), avOffer);

  // (2) simulcast: three rids, quarter / half / full resolution (RFC 8853).
  const simOffer = await page.evaluate(`(async () => { ${helpers}
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver(stream.getVideoTracks()[0], {
      direction: 'sendonly', streams: [stream],
      sendEncodings: [
        { rid: 'q', scaleResolutionDownBy: 4 },
        { rid: 'h', scaleResolutionDownBy: 2 },
        { rid: 'f', scaleResolutionDownBy: 1 },
      ],
    });
    await pc.setLocalDescription(await pc.createOffer());
    return await gathered(pc);
  })()`);
  fs.writeFileSync(path.join(outDir, 'chrome-offer-simulcast.sdp'), simOffer);

  // (3) Chrome's answer to an SFU-style offer: the "server" side is a second RTCPeerConnection that only
  // receives (recvonly audio + video), the way an SFU asks a publisher to send.
  // Its offer is munged to look like an ICE-lite server (a=ice-lite, setup:actpass).
  const answer = await page.evaluate(`(async () => { ${helpers}
    const server = new RTCPeerConnection({ iceServers: [] });
    server.addTransceiver('audio', { direction: 'recvonly' });
    server.addTransceiver('video', { direction: 'recvonly' });
    await server.setLocalDescription(await server.createOffer());
    const offerSdp = await gathered(server);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    const pc = new RTCPeerConnection({ iceServers: [] });
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const trs = pc.getTransceivers();
    trs[0].sender.replaceTrack(stream.getAudioTracks()[0]); trs[0].direction = 'sendonly';
    trs[1].sender.replaceTrack(stream.getVideoTracks()[0]); trs[1].direction = 'sendonly';
    trs[0].sender.setStreams(stream); trs[1].sender.setStreams(stream);
    await pc.setLocalDescription(await pc.createAnswer());
    return JSON.stringify({ offer: offerSdp, answer: await gathered(pc) });
  })()`);
  const a = JSON.parse(answer);
  fs.writeFileSync(path.join(outDir, 'chrome-server-offer-recvonly.sdp'), a.offer);
  fs.writeFileSync(path.join(outDir, 'chrome-answer-to-server-offer.sdp'), a.answer);

  const version = browser.version();
  fs.writeFileSync(path.join(outDir, 'chrome-version.txt'), version + '\n');
  console.log('captured with Chromium', version);
  await browser.close();
  server.close();
})().catch(e => { console.error(e); process.exit(1); });
