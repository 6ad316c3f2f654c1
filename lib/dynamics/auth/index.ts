/** Token providers and sign-in helpers for the three authorization methods. */
export {
  createAuthorizationRequest,
  redeemAuthorizationCode,
  type AuthorizationRequest,
  type AuthorizationRequestInput,
  type RedeemInput,
} from './auth-code';
export { generateTokens, type GenerateTokensInput, type GenerateTokensOptions } from './generate-tokens';
export { verifyConnection, type VerifyResult } from './verify-connection';
export { TokenProvider, tokenProviderFor, forgetTokenProvider, type TokenProviderOptions } from './token-provider';
export { requestTokens, type Grant, type TokenClient } from './token-endpoint';
export { TokenError } from './token-error';
export { describeTokenError, AADSTS } from './aadsts';
export { authorizationServerOf, scopeFor } from './authority';
