/**
 * Every sentence the prebuilt components show, in English. Pass `localization` (to the provider
 * or a component) with any subset to translate or reword them; `{{name}}` placeholders are filled
 * in. `errors` maps error codes (API or browser-side) to sentences.
 * @example
 * <LatchkeyProvider localization={{ signIn: { title: 'Connexion à {{applicationName}}' } }}>
 */
export const defaultLocalization = {
  loading: 'Loading…',
  waitingForPasskey: 'Waiting for your passkey…',
  signIn: {
    title: 'Sign in to {{applicationName}}',
    titleNoApp: 'Sign in',
    subtitle: 'Welcome back. Use the passkey on this device, your phone or a security key.',
    identifierLabel: 'Username or email address',
    identifierRequired: 'Enter your username or email address.',
    continue: 'Continue',
    divider: 'or',
    passkeyButton: 'Sign in with a passkey',
    footerText: 'Don’t have an account?',
    footerLink: 'Sign up',
    disabled: 'Passkey sign-in is turned off for this application.',
    needsMoreSteps: 'This account needs a sign-in step this form does not offer.',
    alreadySignedIn: 'You are signed in as {{name}}.',
    signOut: 'Sign out',
    addAccountTitle: 'Add an account',
  },
  /** <SignIn>'s email-code step (instances with email-code sign-in on) and the passkey offer after it. */
  signInEmailCode: {
    useCode: 'Email a code to {{address}}',
    title: 'Check your email',
    subtitle: 'We sent a six-digit code to {{address}}. It expires in 10 minutes.',
    codeLabel: 'Code',
    codeFormat: 'Enter the six digits from the email.',
    submit: 'Sign in',
    resend: 'Send a new code',
    resendIn: 'Send a new code in {{seconds}} s',
    resent: 'A new code is on its way.',
    back: 'Use a passkey instead',
    addPasskeyTitle: 'Add a passkey now?',
    addPasskeyText: 'You signed in with an emailed code. A passkey on this device signs you in next time, with no code and nothing to phish.',
    addPasskey: 'Add a passkey',
    notNow: 'Not now',
    passkeyAddedTitle: 'Passkey added',
    passkeyAddedText: 'Next time, sign in with this passkey.',
    /** After the automatic upgrade: the browser's password manager made the passkey without a prompt. */
    passkeyUpgradedText: 'Your password manager saved a passkey for this account. Next time, sign in with it.',
    continue: 'Continue',
  },
  signUp: {
    title: 'Create your {{applicationName}} account',
    titleNoApp: 'Create your account',
    subtitle: 'Choose a username, an email address, or both. You sign in with a passkey — no password.',
    usernameLabel: 'Username',
    usernameHint: '3–64 letters, digits, “_”, “.” or “-”.',
    emailLabel: 'Email address',
    optional: 'optional',
    oneRequired: 'Enter a username or an email address.',
    fieldRequired: 'This field is required.',
    submit: 'Create account with a passkey',
    footerText: 'Already have an account?',
    footerLink: 'Sign in',
    disabled: 'Passkey sign-up is turned off for this application.',
    needsMoreInformation: 'Your account needs more information than this form asks for.',
  },
  signUpEmailCode: {
    title: 'Verify your email',
    subtitle: 'We sent a six-digit code to {{address}}. It expires in 10 minutes.',
    codeLabel: 'Code',
    codeFormat: 'Enter the six digits from the email.',
    submit: 'Verify and create passkey',
    resend: 'Send a new code',
    resendIn: 'Send a new code in {{seconds}} s',
    resent: 'A new code is on its way.',
    back: 'Use a different email address',
    verifiedTitle: 'Email verified',
    verifiedText: 'One step left: create the passkey you will sign in with.',
    createPasskey: 'Create passkey',
  },
  userButton: {
    open: 'Open the account menu of {{name}}',
    manageAccount: 'Manage account',
    signOut: 'Sign out',
    signOutOf: 'Sign out of {{name}}',
    signOutAll: 'Sign out of all accounts',
    switchTo: 'Switch to {{name}}',
    addAccount: 'Add account',
    signedOutOf: 'Signed out of {{name}}.',
  },
  recovery: {
    useCode: 'Lost your passkey? Use a recovery code',
    title: 'Use a recovery code',
    subtitle: 'Enter your username or email address and one of the recovery codes you saved. Each code works once.',
    codeLabel: 'Recovery code',
    codeHint: 'Ten letters and digits, like abcde-23456.',
    codeRequired: 'Enter one of your recovery codes.',
    /** A wrong, used or unknown recovery code (the generic `form_code_incorrect` text speaks of an email). */
    codeIncorrect: 'That recovery code is not valid for this account, or it was used already.',
    submit: 'Sign in with the code',
    back: 'Back to passkey sign-in',
    addPasskeyTitle: 'Add a passkey now',
    addPasskeyText: 'You signed in with a recovery code as {{name}}. Add a passkey on this device to finish: until then this session can do nothing else.',
    addPasskey: 'Add a passkey',
    signOut: 'Sign out instead',
    codesTitle: 'Your recovery codes',
    codesText: 'Keep these codes somewhere safe, away from this device. If you lose your passkeys, each code signs you in once, and you then add a new passkey. They are shown only now.',
    copy: 'Copy codes',
    copied: 'Copied the codes.',
    saved: 'I have saved them',
    sectionTitle: 'Recovery codes',
    remaining: '{{remaining}} of {{total}} recovery codes left.',
    none: 'You have no recovery codes yet. Make a set in case you lose your passkeys.',
    generate: 'Make recovery codes',
    regenerate: 'Make new codes',
    confirmRegenerate: 'Make a new set? Your old codes stop working at once.',
    confirmRegenerateButton: 'Yes, replace my codes',
    cancel: 'Cancel',
  },
  userProfile: {
    signedOut: 'Sign in to manage your account.',
    profileTitle: 'Profile',
    usernameLabel: 'Username',
    emailLabel: 'Email address',
    notSet: 'Not set',
    edit: 'Edit',
    save: 'Save',
    cancel: 'Cancel',
    profileSaved: 'Profile saved.',
    devicesTitle: 'Active devices',
    thisBrowser: 'This browser',
    currentSession: 'This session',
    otherDevice: 'Another browser or device',
    signedInAt: 'Signed in',
    lastActive: 'Last active',
    endSession: 'Sign out',
    endSessionLabel: 'Sign out the session last active {{when}}',
    sessionEnded: 'Signed out that session.',
    noOtherSessions: 'No other active sessions.',
    passkeysTitle: 'Passkeys',
    noPasskeys: 'You have no passkeys yet.',
    addPasskey: 'Add a passkey',
    passkeyAdded: 'Added the passkey “{{name}}”.',
    provider: 'Provider',
    created: 'Created',
    lastUsed: 'Last used',
    never: 'Never',
    unknown: 'Unknown',
    unnamedPasskey: 'Unnamed passkey',
    rename: 'Rename',
    renameLabel: 'Rename {{name}}',
    passkeyName: 'Passkey name',
    passkeyNameRequired: 'Enter a name for the passkey.',
    renamed: 'Renamed the passkey to “{{name}}”.',
    delete: 'Delete',
    deleteLabel: 'Delete {{name}}',
    confirmDelete: 'Delete “{{name}}”? You will no longer be able to sign in with it.',
    deletePasskey: 'Delete passkey',
    deleted: 'Deleted the passkey “{{name}}”.',
    lastPasskey: '“{{name}}” is your only passkey: add another before deleting it, or you could not sign in again.',
    dangerTitle: 'Delete account',
    dangerText: 'Deleting your account signs you out everywhere and removes your passkeys. This cannot be undone.',
    deleteAccount: 'Delete account',
    confirmDeleteAccount: 'Delete the account {{name}} for good?',
    deleteAccountConfirm: 'Yes, delete my account',
  },
  errors: {
    passkey_not_supported: 'This browser does not support passkeys. Try an up-to-date browser.',
    passkey_pa_not_supported: 'This device has no built-in passkey support. Try a security key or another device.',
    passkey_already_exists: 'This device already holds a passkey for your account.',
    passkey_registration_cancelled: 'Passkey creation was cancelled.',
    passkey_retrieval_cancelled: 'Sign-in was cancelled, or no passkey was chosen.',
    passkey_registration_failed: 'The passkey could not be created. Please try again.',
    passkey_retrieval_failed: 'The passkey could not be used. Please try again.',
    passkey_operation_aborted: 'The passkey request was interrupted. Please try again.',
    passkey_invalid_rpID_or_domain: "Passkeys are not set up for this website's address.",
    network_error: 'Could not reach the sign-in service. Check your connection and try again.',
    session_not_found: 'Your session has ended. Please sign in again.',
    invalid_configuration: 'Sign-in is not configured correctly on this website.',
    invalid_usage: 'Something went wrong. Please try again.',
    passkey_not_registered: 'This passkey is no longer registered with this application; it may have been deleted. Choose another passkey.',
    too_many_requests: 'Too many attempts. Please wait a minute and try again.',
    form_code_incorrect: 'That code is not right. Check the latest email and try again.',
    email_address_unverified: 'Verify your email address with the code we sent first.',
    verification_failed: 'Too many wrong codes. Send a new code.',
    verification_expired: 'This code has expired. Send a new code.',
    session_exists: 'You are already signed in. Sign out first to use another account.',
    unknown: 'Something went wrong. Please try again.',
  } as Record<string, string>,
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : T[K] extends Record<string, string> ? Record<string, string> : DeepPartial<T[K]> };

export type LatchkeyLocalization = DeepPartial<typeof defaultLocalization>;
export type LocalizationResource = typeof defaultLocalization;

/** Overrides over defaults, section by section; later arguments win. */
export function mergeLocalization(...layers: (LatchkeyLocalization | undefined)[]): LocalizationResource {
  const out = structuredClone(defaultLocalization) as unknown as Record<string, unknown>;
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (value === undefined) continue;
      out[key] = typeof value === 'object' ? { ...(out[key] as object), ...value } : value;
    }
  }
  return out as unknown as LocalizationResource;
}

/** Fills `{{name}}` placeholders; a missing value leaves the placeholder empty. */
export function format(template: string, vars: Record<string, string | number | null | undefined> = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));
}
