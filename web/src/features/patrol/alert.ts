// Gets a patrol member's attention on a new dispatch: a two-tone beep and a vibration.
// Browsers allow sound only after a user gesture; `unlock()` is called from the first tap.
let ctx: AudioContext | null = null;

export function unlockSound(): void {
  if (ctx || typeof AudioContext === 'undefined') return;
  ctx = new AudioContext();
}

export function alertNewDispatch(): void {
  navigator.vibrate?.([400, 150, 400, 150, 400]);
  if (!ctx) return;
  void ctx.resume();
  const start = ctx.currentTime;
  for (let i = 0; i < 3; i++) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = i % 2 ? 660 : 880;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + i * 0.3);
    osc.stop(start + i * 0.3 + 0.25);
  }
}
