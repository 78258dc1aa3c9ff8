// AudioWorklet processor for the page's microphone paths (live inference and recording):
// copies the first input channel out in blocks of 2048 samples (about 43 ms at 48 kHz), so the
// main thread gets a few dozen messages a second instead of one per 128-sample render quantum.
// Plain JavaScript in public/: worklet modules are loaded by URL and are not bundled.
class SerCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(2048);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) {
        this.block[this.filled++] = channel[i];
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block, [this.block.buffer]);
          this.block = new Float32Array(2048);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor("ser-capture", SerCapture);
