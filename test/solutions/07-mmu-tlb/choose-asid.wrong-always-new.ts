// Wrong: hands out a new ASID (and flushes) on every switch, never looking for the context's old slot.
export default function switch_to(state: { pcid: boolean; slots: number[]; next_asid: number; loaded_ctx: number }, ctx: number): [number, boolean] {
  if (ctx === state.loaded_ctx) return [state.pcid ? state.slots.indexOf(ctx) : 0, false];
  state.loaded_ctx = ctx;
  if (!state.pcid) return [0, true];
  let a = state.next_asid++;
  if (a >= state.slots.length) {
    a = 0;
    state.next_asid = 1;
  }
  state.slots[a] = ctx;
  return [a, true];
}
