// Feeds SDP written by Sfu.WebRtc.Sdp back to Chromium: the re-serialized fixtures (as remote offers, or as the
// answer to a fresh recvonly offer) and SfuAnswerTests' answer to a simulcast offer. Run `dotnet test` first, then:
//   NODE_PATH=/tmp/sdpcap/node_modules node verify-chrome-accepts.js ../../bin/Debug/net10.0/sdp-out
const fs = require('fs');
const { chromium } = require('playwright-core');
const http = require('http');
const dir = process.argv[2];
(async () => {
  const server = http.createServer((q, r) => { r.writeHead(200, {'content-type':'text/html'}); r.end('<!doctype html>'); });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox','--headless','--disable-gpu','--use-fake-device-for-media-stream','--use-fake-ui-for-media-stream','--allow-loopback-in-peer-connection','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const read = f => fs.readFileSync(dir + '/' + f, 'utf8');
  const results = {};
  for (const f of ['rewritten-chrome-offer-audio-video.sdp','rewritten-chrome-offer-simulcast.sdp','rewritten-chrome-server-offer-recvonly.sdp','rewritten-firefox-offer.sdp']) {
    results[f] = await page.evaluate(async sdp => {
      try { const pc = new RTCPeerConnection(); await pc.setRemoteDescription({type:'offer', sdp});
            const a = await pc.createAnswer(); await pc.setLocalDescription(a); return 'accepted, answered with ' + pc.getTransceivers().length + ' transceivers'; }
      catch (e) { return 'REJECTED: ' + e.message; }
    }, read(f));
  }
  results['rewritten-chrome-answer-to-server-offer.sdp'] = await page.evaluate(async sdp => {
    try { const pc = new RTCPeerConnection(); pc.addTransceiver('audio',{direction:'recvonly'}); pc.addTransceiver('video',{direction:'recvonly'});
          await pc.setLocalDescription(await pc.createOffer()); await pc.setRemoteDescription({type:'answer', sdp}); return 'accepted, signalingState ' + pc.signalingState; }
    catch (e) { return 'REJECTED: ' + e.message; }
  }, read('rewritten-chrome-answer-to-server-offer.sdp'));
  results['sfu-answer-to-simulcast.sdp'] = await page.evaluate(async sdp => {
    try { const s = await navigator.mediaDevices.getUserMedia({video:{width:1280,height:720}}); const pc = new RTCPeerConnection();
          const t = pc.addTransceiver(s.getVideoTracks()[0], {direction:'sendonly', streams:[s], sendEncodings:[{rid:'q',scaleResolutionDownBy:4},{rid:'h',scaleResolutionDownBy:2},{rid:'f'}]});
          await pc.setLocalDescription(await pc.createOffer()); await pc.setRemoteDescription({type:'answer', sdp});
          return 'accepted, encodings ' + t.sender.getParameters().encodings.map(e => e.rid).join(','); }
    catch (e) { return 'REJECTED: ' + e.message; }
  }, read('sfu-answer-to-simulcast.sdp'));
  console.log(JSON.stringify(results, null, 1));
  await browser.close(); server.close();
})().catch(e => { console.error(e); process.exit(1); });
