/**
 * Microphone capture through an AudioWorklet: blocks of samples at the AudioContext's rate,
 * with the browser's voice processing (echo cancellation, noise suppression, automatic gain)
 * turned off, because it reshapes exactly the cues emotion recognition listens to.
 */
export interface Capture {
  readonly sampleRateHz: number;
  stop(): Promise<void>;
}

export async function startCapture(onBlock: (samples: Float32Array) => void): Promise<Capture> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error("this browser gives pages no microphone access (it needs https or localhost).");
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const ctx = new AudioContext();
  try {
    await ctx.audioWorklet.addModule(new URL("./capture-worklet.js", document.baseURI).href);
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, "ser-capture", { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
    node.port.onmessage = (e: MessageEvent<Float32Array>) => onBlock(e.data);
    // Pulled through a muted gain to the destination: the graph renders, nothing is played back.
    const mute = ctx.createGain();
    mute.gain.value = 0;
    source.connect(node).connect(mute).connect(ctx.destination);
    await ctx.resume();
    return {
      sampleRateHz: ctx.sampleRate,
      async stop() {
        for (const t of stream.getTracks()) t.stop();
        node.port.onmessage = null;
        source.disconnect();
        await ctx.close();
      },
    };
  } catch (e) {
    for (const t of stream.getTracks()) t.stop();
    await ctx.close();
    throw e;
  }
}

/** The last `capacity` samples, oldest first on read. */
export function createRing(capacity: number) {
  const buf = new Float32Array(capacity);
  let write = 0;
  let total = 0;
  return {
    push(block: Float32Array) {
      for (let i = 0; i < block.length; i++) {
        buf[write] = block[i]!;
        write = (write + 1) % capacity;
      }
      total += block.length;
    },
    /** Samples pushed so far (not capped). */
    get total() {
      return total;
    },
    latest(n: number): Float32Array {
      const m = Math.min(n, capacity, total);
      const out = new Float32Array(m);
      for (let i = 0; i < m; i++) out[i] = buf[(write - m + i + capacity * 2) % capacity]!;
      return out;
    },
  };
}

