// Sfu browser client. Protocol: docs/signaling.md. Plain ES2020, no build step.
'use strict';

(() => {
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);
  const log = (...args) => console.log('[sfu]', ...args);

  // Plain data only, so that tests can read it with one page.evaluate().
  const state = {
    joined: false,
    roomId: null,
    participantId: null,
    name: null,
    remoteParticipants: {},
    localTracks: [],
    publisher: { connectionState: 'new', iceConnectionState: 'new' },
    subscriber: { connectionState: 'new', iceConnectionState: 'new' },
    mediaConstraints: null,
    timings: { joinedAt: null, subscriberConnectedAt: null, firstFrameAt: {} },
    lastError: null,
    screenSharing: false,
  };
  const events = [];

  let ws = null;
  let localStream = null;
  const pcs = { publisher: null, subscriber: null };
  // Renegotiations are serialized per connection (docs/signaling.md, "Session flow" 5).
  const chains = { publisher: Promise.resolve(), subscriber: Promise.resolve() };
  // Candidates that arrive before their connection has a remote description.
  const pendingCandidates = { publisher: [], subscriber: [] };
  // Server track ids of our own tracks, by publisher mid (from track-published with a mid).
  const ownTrackIdByMid = {};
  const tiles = new Map();
  const mutedKinds = { audio: false, video: false };

  function setStatus(text, isError = false) {
    const el = $('status');
    el.textContent = text;
    el.classList.toggle('error', isError);
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(message));
    }
  }

  function enqueue(target, task) {
    const next = chains[target].then(task).catch((err) => {
      console.error('[sfu]', target, err);
      state.lastError = `${target}: ${err && err.message ? err.message : err}`;
      setStatus(state.lastError, true);
    });
    chains[target] = next;
    return next;
  }

  // ---- joining -----------------------------------------------------------------------------

  function signalingUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws`;
  }

  function join(roomId, name) {
    if (ws) throw new Error('already joined; leave first');
    state.roomId = roomId;
    state.name = name;
    setStatus(`Connecting to ${roomId}…`);
    ws = new WebSocket(signalingUrl());
    const socket = ws;
    socket.onopen = () => {
      log('signaling open');
      send({ type: 'join', roomId, participantName: name });
    };
    socket.onmessage = (ev) => {
      let message;
      try {
        message = JSON.parse(ev.data);
      } catch (err) {
        console.error('[sfu] not JSON:', ev.data);
        return;
      }
      events.push(message);
      log('<-', message.type, message);
      handle(message);
    };
    socket.onclose = (ev) => {
      log('signaling closed', ev.code, ev.reason);
      if (ws === socket) {
        teardown();
        setStatus(`Disconnected (${ev.code})`, ev.code !== 1000);
      }
    };
    socket.onerror = () => setStatus('Signaling error', true);
    $('join-form').hidden = true;
    $('controls').hidden = false;
  }

  function handle(message) {
    switch (message.type) {
      case 'joined': return onJoined(message);
      case 'request-offer': return enqueue('publisher', publishOffer);
      case 'answer': return onAnswer(message);
      case 'offer': return onOffer(message);
      case 'ice-candidate': return onRemoteCandidate(message);
      case 'participant-joined': return upsertParticipant(message.participant);
      case 'participant-left': return removeParticipant(message.participantId);
      case 'track-published': return onTrackPublished(message);
      case 'track-unpublished': return onTrackUnpublished(message);
      case 'track-muted': return setRemoteMuted(message.participantId, message.trackId, true);
      case 'track-unmuted': return setRemoteMuted(message.participantId, message.trackId, false);
      case 'track-paused': return setRemotePaused(message.trackId, true);
      case 'track-resumed': return setRemotePaused(message.trackId, false);
      case 'error':
        state.lastError = `${message.code}: ${message.message}`;
        return setStatus(`Error ${state.lastError}`, true);
      case 'server-shutdown':
        setStatus('Server is shutting down', true);
        return leave();
      case 'room-closed':
        setStatus(`Room ${message.roomId} was closed`, true);
        return leave();
      case 'left':
        return log('server confirmed leave of', message.roomId);
      default:
        log('ignoring message type', message.type);
    }
  }

  function onJoined(message) {
    state.joined = true;
    state.roomId = message.roomId;
    state.participantId = message.participantId;
    state.timings.joinedAt = performance.now();
    setStatus(`Joined ${message.roomId} as ${state.name}`);
    const config = { iceServers: message.iceServers || [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
    pcs.publisher = createPeerConnection('publisher', config);
    pcs.subscriber = createPeerConnection('subscriber', config);
    pcs.subscriber.ontrack = onRemoteTrack;
    for (const p of message.participants || []) upsertParticipant(p);
    state.mediaConstraints = message.mediaConstraints || null;
    const constraints = mediaConstraints(message.mediaConstraints);
    enqueue('publisher', () => startLocalMedia(constraints));
  }

  // The server's mediaConstraints (docs/signaling.md, joined) become getUserMedia constraints.
  function mediaConstraints(c) {
    if (!c) return { audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 } } };
    const audio = {};
    for (const key of ['echoCancellation', 'noiseSuppression', 'autoGainControl']) {
      if (typeof c[key] === 'boolean') audio[key] = c[key];
    }
    const video = {
      width: { ideal: c.width || 1280 },
      height: { ideal: c.height || 720 },
    };
    if (c.frameRate) video.frameRate = { ideal: c.frameRate };
    return { audio: Object.keys(audio).length ? audio : true, video };
  }

  // ?simulcast=1 / ?simulcast=0 override what the server suggests.
  function useSimulcast() {
    const fromQuery = params.get('simulcast');
    if (fromQuery === '1' || fromQuery === '0') return fromQuery === '1';
    return Boolean(state.mediaConstraints && state.mediaConstraints.simulcast);
  }

  function createPeerConnection(target, config) {
    const pc = new RTCPeerConnection(config);
    pc.onicecandidate = (ev) => {
      // The server is ICE-lite and needs none, but trickling costs nothing and helps a full-ICE server.
      if (ev.candidate && ev.candidate.candidate) {
        send({ type: 'ice-candidate', candidate: ev.candidate.toJSON(), target });
      }
    };
    pc.onconnectionstatechange = () => {
      state[target].connectionState = pc.connectionState;
      log(target, 'connection', pc.connectionState);
      if (target === 'subscriber' && pc.connectionState === 'connected' && state.timings.subscriberConnectedAt === null) {
        state.timings.subscriberConnectedAt = performance.now();
      }
    };
    pc.oniceconnectionstatechange = () => {
      state[target].iceConnectionState = pc.iceConnectionState;
    };
    return pc;
  }

  async function startLocalMedia(constraints) {
    localStream = await getUserMediaWithFallback(constraints);
    const simulcast = useSimulcast();
    for (const track of localStream.getTracks()) {
      const init = { direction: 'sendonly', streams: [localStream] };
      if (simulcast && track.kind === 'video') init.sendEncodings = simulcastEncodings(track);
      pcs.publisher.addTransceiver(track, init);
      track.enabled = !mutedKinds[track.kind];
    }
    state.localTracks = localStream.getTracks().map((t) => ({ trackId: t.id, kind: t.kind, label: t.label }));
    $('local-video').srcObject = localStream;
  }

  // The quality table (docs/signaling.md, "Quality and screen share"), lowest first: the rid order is the
  // layer order the server uses. Scales come from the capture width so a 1280x720 camera gives
  // 320x180 / 640x360 / 1280x720. The server's joined.mediaConstraints.qualityLevels (config
  // media.video.quality_levels) replace these defaults.
  const DEFAULT_QUALITY_LAYERS = [
    { rid: 'low', width: 320, maxBitrate: 150_000, maxFramerate: 15 },
    { rid: 'medium', width: 640, maxBitrate: 500_000, maxFramerate: 30 },
    { rid: 'high', width: 1280, maxBitrate: 2_500_000, maxFramerate: 30 },
  ];

  function qualityLayers() {
    const levels = state.mediaConstraints && state.mediaConstraints.qualityLevels;
    return Array.isArray(levels) && levels.length > 0 ? levels : DEFAULT_QUALITY_LAYERS;
  }

  function simulcastEncodings(track) {
    const captureWidth = (track.getSettings && track.getSettings().width) || 1280;
    const layers = qualityLayers();
    return layers.map((l, i) => ({
      rid: l.rid,
      scaleResolutionDownBy: i === layers.length - 1 ? 1 : Math.max(1, captureWidth / l.width),
      maxBitrate: l.maxBitrate,
      maxFramerate: l.maxFramerate,
    }));
  }

  async function getUserMediaWithFallback(constraints) {
    const attempts = [constraints, { audio: constraints.audio, video: false }, { audio: false, video: constraints.video }];
    for (const attempt of attempts) {
      if (!attempt.audio && !attempt.video) continue;
      try {
        return await navigator.mediaDevices.getUserMedia(attempt);
      } catch (err) {
        console.warn('[sfu] getUserMedia failed', attempt, err);
      }
    }
    setStatus('No camera or microphone: joined as a viewer', true);
    return new MediaStream();
  }

  // ---- publisher connection ----------------------------------------------------------------

  // type is 'offer', or 'start-screen-share' / 'stop-screen-share' for the offer that adds / removes the screen.
  async function publishOffer(type = 'offer') {
    const pc = pcs.publisher;
    if (!pc) return;
    if (pc.getTransceivers().length === 0) {
      log('nothing to publish; no publisher offer');
      return;
    }
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const message = { type, roomId: state.roomId, sdp: pc.localDescription.sdp };
    if (type === 'offer') message.target = 'publisher';
    send(message);
    // The next publisher offer must wait for this answer; onAnswer resolves it.
    await new Promise((resolve) => { publisherAnswered = resolve; });
  }

  let publisherAnswered = null;

  async function onAnswer(message) {
    const target = message.target || 'publisher';
    if (target !== 'publisher') {
      log('ignoring answer for', target);
      return;
    }
    const pc = pcs.publisher;
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
      await flushCandidates('publisher');
    } finally {
      if (publisherAnswered) {
        publisherAnswered();
        publisherAnswered = null;
      }
    }
  }

  // ---- subscriber connection ---------------------------------------------------------------

  function onOffer(message) {
    const target = message.target || 'publisher';
    if (target !== 'subscriber') {
      log('ignoring offer for', target);
      return;
    }
    enqueue('subscriber', async () => {
      const pc = pcs.subscriber;
      if (!pc) return;
      await pc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
      await flushCandidates('subscriber');
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      send({ type: 'answer', roomId: state.roomId, sdp: pc.localDescription.sdp, target: 'subscriber' });
    });
  }

  async function onRemoteCandidate(message) {
    const target = message.target || 'publisher';
    const pc = pcs[target];
    if (!pc || !message.candidate) return;
    if (!pc.remoteDescription) {
      pendingCandidates[target].push(message.candidate);
      return;
    }
    await addCandidate(pc, message.candidate);
  }

  async function flushCandidates(target) {
    const queued = pendingCandidates[target].splice(0);
    for (const c of queued) await addCandidate(pcs[target], c);
  }

  async function addCandidate(pc, candidate) {
    try {
      await pc.addIceCandidate(candidate);
    } catch (err) {
      console.warn('[sfu] addIceCandidate failed', candidate, err);
    }
  }

  // ---- remote participants -----------------------------------------------------------------

  function upsertParticipant(p) {
    if (!p || !p.participantId || p.participantId === state.participantId) return null;
    let record = state.remoteParticipants[p.participantId];
    if (!record) {
      record = { participantId: p.participantId, name: p.name || p.participantId, tracks: [], receivedTracks: [] };
      state.remoteParticipants[p.participantId] = record;
    }
    if (p.name) record.name = p.name;
    if (Array.isArray(p.tracks)) record.tracks = p.tracks.map((t) => ({ ...t }));
    renderTile(record);
    return record;
  }

  function removeParticipant(participantId) {
    delete state.remoteParticipants[participantId];
    const tile = tiles.get(participantId);
    if (tile) {
      tile.video.srcObject = null;
      tile.root.remove();
      tiles.delete(participantId);
    }
  }

  function onTrackPublished(message) {
    const track = message.track || {};
    if (message.participantId === state.participantId) {
      if (track.mid !== undefined && track.mid !== null) ownTrackIdByMid[track.mid] = track.trackId;
      return;
    }
    const record = upsertParticipant({ participantId: message.participantId });
    if (!record) return;
    record.tracks = record.tracks.filter((t) => t.trackId !== track.trackId).concat([{ ...track }]);
    renderTile(record);
  }

  function onTrackUnpublished(message) {
    const record = state.remoteParticipants[message.participantId];
    if (!record) return;
    record.tracks = record.tracks.filter((t) => t.trackId !== message.trackId);
    renderTile(record);
  }

  function setRemoteMuted(participantId, trackId, muted) {
    const record = state.remoteParticipants[participantId];
    if (!record) return;
    for (const t of record.tracks) if (t.trackId === trackId) t.muted = muted;
    renderTile(record);
  }

  // The server paused a received video track because our connection's bandwidth is short.
  function setRemotePaused(trackId, paused) {
    for (const record of Object.values(state.remoteParticipants)) {
      for (const t of record.tracks) if (t.trackId === trackId) t.paused = paused;
      renderTile(record);
    }
  }

  // a=msid is "<publisherParticipantId> <trackId>" (docs/signaling.md, subscriber offer).
  function onRemoteTrack(ev) {
    const stream = ev.streams[0];
    const participantId = stream ? stream.id : 'unknown';
    const track = ev.track;
    log('remote track', track.kind, track.id, 'from', participantId);
    const record = upsertParticipant({ participantId });
    if (!record) return;
    const received = { trackId: track.id, kind: track.kind, mid: ev.transceiver ? ev.transceiver.mid : null, ended: false };
    record.receivedTracks = record.receivedTracks.filter((t) => t.trackId !== track.id).concat([received]);
    const tile = tiles.get(participantId);
    if (stream && tile.video.srcObject !== stream) {
      tile.video.srcObject = stream;
      playUnmutedOrMuted(tile.video);
    }
    const forget = () => {
      received.ended = true;
      const current = state.remoteParticipants[participantId];
      if (current) current.receivedTracks = current.receivedTracks.filter((t) => t !== received);
    };
    track.addEventListener('ended', forget);
    if (stream) {
      stream.addEventListener('removetrack', (e) => { if (e.track === track) forget(); });
    }
    if (track.kind === 'video') watchFirstFrame(tile.video, track.id);
  }

  function watchFirstFrame(video, trackId) {
    if (typeof video.requestVideoFrameCallback !== 'function') return;
    video.requestVideoFrameCallback(() => {
      if (!(trackId in state.timings.firstFrameAt)) state.timings.firstFrameAt[trackId] = performance.now();
    });
  }

  // Autoplay with sound needs a user gesture; ?autojoin=1 has none, so fall back to muted playback
  // (media is still received and decoded) and let a click unmute.
  function playUnmutedOrMuted(video) {
    video.play().catch((err) => {
      if (err.name !== 'NotAllowedError') return;
      video.muted = true;
      video.play().catch(() => {});
      video.title = 'Click to unmute';
      video.addEventListener('click', () => { video.muted = false; }, { once: true });
    });
  }

  function renderTile(record) {
    let tile = tiles.get(record.participantId);
    if (!tile) {
      const root = document.createElement('figure');
      root.className = 'tile remote';
      root.dataset.participantId = record.participantId;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      const caption = document.createElement('figcaption');
      const name = document.createElement('span');
      const flags = document.createElement('span');
      flags.className = 'muted-flags';
      caption.append(name, flags);
      root.append(video, caption);
      $('tiles').append(root);
      tile = { root, video, name, flags };
      tiles.set(record.participantId, tile);
    }
    tile.name.textContent = record.name;
    const muted = record.tracks.filter((t) => t.muted).map((t) => (t.kind === 'audio' ? 'mic off' : 'camera off'));
    const paused = record.tracks.filter((t) => t.paused && !t.muted).map(() => 'video paused (bandwidth)');
    tile.flags.textContent = muted.concat(paused).join(', ');
  }

  // ---- local controls ----------------------------------------------------------------------

  function serverTrackId(track) {
    const pc = pcs.publisher;
    const transceiver = pc && pc.getTransceivers().find((t) => t.sender.track === track);
    if (transceiver && transceiver.mid !== null && ownTrackIdByMid[transceiver.mid]) return ownTrackIdByMid[transceiver.mid];
    return track.id;
  }

  function setMuted(kind, muted) {
    mutedKinds[kind] = muted;
    const button = kind === 'audio' ? $('mute-audio') : $('mute-video');
    button.setAttribute('aria-pressed', String(muted));
    if (kind === 'audio') button.textContent = muted ? 'Unmute audio' : 'Mute audio';
    else button.textContent = muted ? 'Start video' : 'Stop video';
    if (!localStream) return;
    for (const track of localStream.getTracks()) {
      if (track.kind !== kind) continue;
      track.enabled = !muted;
      send({ type: 'mute', trackId: serverTrackId(track), muted });
    }
  }

  // ---- screen share and received quality -----------------------------------------------------

  let screen = null; // { stream, sender }

  function startScreenShare() {
    return enqueue('publisher', async () => {
      if (screen || !pcs.publisher) return;
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const [track] = stream.getVideoTracks();
      const transceiver = pcs.publisher.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      screen = { stream, sender: transceiver.sender };
      // The browser's own "Stop sharing" ends the track.
      track.addEventListener('ended', () => stopScreenShare());
      state.screenSharing = true;
      $('share-screen').textContent = 'Stop sharing';
      await publishOffer('start-screen-share');
    });
  }

  function stopScreenShare() {
    return enqueue('publisher', async () => {
      if (!screen || !pcs.publisher) return;
      const { stream, sender } = screen;
      screen = null;
      pcs.publisher.removeTrack(sender);
      for (const t of stream.getTracks()) t.stop();
      state.screenSharing = false;
      $('share-screen').textContent = 'Share screen';
      await publishOffer('stop-screen-share');
    });
  }

  // quality: 'low' | 'medium' | 'high' | 'auto'; without trackId it applies to all received video.
  function setQuality(quality, trackId) {
    const message = { type: 'update-quality', roomId: state.roomId, quality };
    if (trackId) message.trackId = trackId;
    send(message);
  }

  function teardown() {
    if (screen) {
      for (const t of screen.stream.getTracks()) t.stop();
      screen = null;
      state.screenSharing = false;
      $('share-screen').textContent = 'Share screen';
    }
    for (const target of ['publisher', 'subscriber']) {
      if (pcs[target]) pcs[target].close();
      pcs[target] = null;
      pendingCandidates[target] = [];
      state[target].connectionState = 'closed';
      state[target].iceConnectionState = 'closed';
    }
    if (publisherAnswered) {
      publisherAnswered();
      publisherAnswered = null;
    }
    if (localStream) for (const t of localStream.getTracks()) t.stop();
    localStream = null;
    $('local-video').srcObject = null;
    for (const id of [...tiles.keys()]) removeParticipant(id);
    state.joined = false;
    state.localTracks = [];
    ws = null;
    $('join-form').hidden = false;
    $('controls').hidden = true;
  }

  function leave() {
    const socket = ws;
    send({ type: 'leave' });
    teardown();
    if (socket) socket.close(1000, 'leave');
    setStatus('Left the room');
  }

  // ---- stats (test hook) -------------------------------------------------------------------

  function participantOfTrack(trackIdentifier) {
    for (const record of Object.values(state.remoteParticipants)) {
      if (record.receivedTracks.some((t) => t.trackId === trackIdentifier)) return record.participantId;
    }
    return null;
  }

  // The codec in use, e.g. "audio/red" or "video/VP8" (RTCCodecStats.mimeType).
  function codecOf(report, s) {
    const codec = s.codecId ? report.get(s.codecId) : null;
    return codec ? codec.mimeType : null;
  }

  async function connectionStats(target, summary) {
    const pc = pcs[target];
    const transport = { connectionState: pc ? pc.connectionState : 'closed', iceConnectionState: pc ? pc.iceConnectionState : 'closed', iceState: null, dtlsState: null, availableOutgoingBitrate: null };
    if (!pc) return transport;
    const report = await pc.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        summary.inbound.push({
          connection: target,
          kind: s.kind ?? s.mediaType,
          trackIdentifier: s.trackIdentifier ?? null,
          participantId: participantOfTrack(s.trackIdentifier),
          mid: s.mid ?? null,
          ssrc: s.ssrc,
          framesDecoded: s.framesDecoded ?? 0,
          keyFramesDecoded: s.keyFramesDecoded ?? 0,
          frameWidth: s.frameWidth ?? 0,
          frameHeight: s.frameHeight ?? 0,
          packetsReceived: s.packetsReceived ?? 0,
          packetsLost: s.packetsLost ?? 0,
          bytesReceived: s.bytesReceived ?? 0,
          jitter: s.jitter ?? 0,
          freezeCount: s.freezeCount ?? 0,
          codec: codecOf(report, s),
          fecPacketsReceived: s.fecPacketsReceived ?? 0,
          fecPacketsDiscarded: s.fecPacketsDiscarded ?? 0,
        });
      } else if (s.type === 'outbound-rtp') {
        summary.outbound.push({
          connection: target,
          kind: s.kind ?? s.mediaType,
          rid: s.rid ?? null,
          ssrc: s.ssrc,
          packetsSent: s.packetsSent ?? 0,
          bytesSent: s.bytesSent ?? 0,
          framesEncoded: s.framesEncoded ?? 0,
          frameWidth: s.frameWidth ?? 0,
          frameHeight: s.frameHeight ?? 0,
          codec: codecOf(report, s),
          qualityLimitationReason: s.qualityLimitationReason ?? null,
        });
      } else if (s.type === 'transport') {
        transport.iceState = s.iceState ?? null;
        transport.dtlsState = s.dtlsState ?? null;
        // The browser's own send-side estimate toward the SFU (GCC from our transport-cc feedback).
        const pair = s.selectedCandidatePairId ? report.get(s.selectedCandidatePairId) : null;
        if (pair && pair.availableOutgoingBitrate !== undefined) transport.availableOutgoingBitrate = pair.availableOutgoingBitrate;
      }
    });
    return transport;
  }

  async function stats() {
    const summary = { inbound: [], outbound: [], publisher: null, subscriber: null };
    summary.publisher = await connectionStats('publisher', summary);
    summary.subscriber = await connectionStats('subscriber', summary);
    return summary;
  }

  // ---- wiring ------------------------------------------------------------------------------

  $('join-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const roomId = $('room').value.trim();
    const name = $('name').value.trim();
    if (!roomId || !name) return;
    const url = new URL(location.href);
    url.searchParams.set('room', roomId);
    history.replaceState(null, '', url);
    join(roomId, name);
  });
  $('mute-audio').addEventListener('click', () => setMuted('audio', !mutedKinds.audio));
  $('mute-video').addEventListener('click', () => setMuted('video', !mutedKinds.video));
  $('leave').addEventListener('click', () => leave());
  $('share-screen').addEventListener('click', () => (screen ? stopScreenShare() : startScreenShare()));
  window.addEventListener('pagehide', () => { if (ws) send({ type: 'leave' }); });

  // The remote description of one connection, for diagnosing negotiation from tests and the console.
  function remoteSdp(target) {
    const pc = pcs[target];
    return pc && pc.remoteDescription ? pc.remoteDescription.sdp : '';
  }

  window.sfu = { state, events, stats, leave, join, setMuted, setQuality, startScreenShare, stopScreenShare, remoteSdp };

  $('room').value = params.get('room') || '';
  $('name').value = params.get('name') || '';
  if (params.get('autojoin') === '1' && $('room').value && $('name').value) {
    join($('room').value, $('name').value);
  }
})();
