/** The first free "Account N" among existing names (N from 1), as the catalog names new accounts. */
export function nextDefaultAccountName(existing: readonly string[]): string {
  const taken = new Set(existing.map((n) => n.trim().toLowerCase()));
  for (let n = 1; ; n++) {
    const name = `Account ${n}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}
