// Reference solution of 07-mmu-tlb/choose-asid (switch_mm_irqs_off / choose_new_asid, arch/x86/mm/tlb.c).
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
  let a = state.next_asid++;
  if (a >= state.slots.length) {
    a = 0;
    state.next_asid = 1;
  }
  state.slots[a] = ctx;
  return [a, true];
}
