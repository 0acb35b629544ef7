/**
 * The two ways a WebAuthn response fails, kept apart (as oslo does): a parse error means the
 * input is not a well-formed credential at all; a rejection means it parsed but breaks a rule of
 * the ceremony. Neither knows HTTP: the flow decides what to record and what to answer.
 */

/** `public_key_credential` is not the JSON shape of a PublicKeyCredential. */
export class CredentialParseError extends Error {
  override readonly name = 'CredentialParseError';
}

/** A well-formed response that a verification rule refuses; the message names the rule. */
export class CeremonyRejected extends Error {
  override readonly name: string = 'CeremonyRejected';
}
