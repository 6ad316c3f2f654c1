/** The first free "<base> N" among existing names (N from 1; base "Account" unless given), as the catalog names new accounts. */
export function nextDefaultAccountName(existing: readonly string[], base = 'Account'): string {
  const taken = new Set(existing.map((n) => n.trim().toLowerCase()));
  for (let n = 1; ; n++) {
    const name = `${base} ${n}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}
