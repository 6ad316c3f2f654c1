export const accountKeys = {
  all: ['accounts'] as const,
};

export const connectorKeys = {
  all: ['connectors'] as const,
  forAccount: (connectorId: string, accountId: string) => ['connectors', connectorId, accountId] as const,
};
