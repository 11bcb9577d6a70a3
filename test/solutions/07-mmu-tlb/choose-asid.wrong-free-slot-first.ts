// Wrong: prefers a free slot (and wraps to 1, never using slot 0), instead of plain round robin.
export default function switch_to(state: { pcid: boolean; slots: number[]; next_asid: number; loaded_ctx: number }, ctx: number): [number, boolean] {
  if (!state.pcid) {
    if (ctx === state.loaded_ctx) return [0, false];
    state.loaded_ctx = ctx;
    return [0, true];
  }
  const own = state.slots.indexOf(ctx);
  if (ctx === state.loaded_ctx) return [own, false];
  state.loaded_ctx = ctx;
  if (own >= 0) return [own, false];
  let a = state.slots.indexOf(0, 1);
  if (a < 0) {
    a = state.next_asid;
    state.next_asid = a + 1 >= state.slots.length ? 1 : a + 1;
  }
  state.slots[a] = ctx;
  return [a, true];
}
