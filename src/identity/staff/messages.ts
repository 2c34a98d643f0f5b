/** Texts of staff sign-in, the staff home page and staff administration, in Swedish and English. */
import { defineMessages } from '../../kernel/i18n/index.ts';

export const staffMessages = defineMessages({
  // Sign-in, step one
  'staff.signIn.title': { sv: 'Logga in som medarbetare', en: 'Staff sign-in' },
  'staff.signIn.lead': {
    sv: 'För kommunens medarbetare. Logga in med ditt användarnamn och lösenord och sedan en engångskod.',
    en: 'For municipal staff. Sign in with your username and password and then a one-time code.',
  },
  'staff.oidc.button': { sv: 'Logga in med kommunens konto', en: 'Sign in with your municipal account' },
  'staff.oidc.or': { sv: 'Eller logga in med användarnamn, lösenord och engångskod:', en: 'Or sign in with username, password and one-time code:' },
  'staff.oidc.failure.failed': { sv: 'Inloggningen med kommunens konto misslyckades. Försök igen.', en: 'Signing in with your municipal account failed. Try again.' },
  'staff.oidc.failure.no-account': {
    sv: 'Ditt kommunkonto är inte kopplat till något aktivt medarbetarkonto i {tenant}. Be en administratör att koppla det.',
    en: 'Your municipal account is not linked to an active staff account at {tenant}. Ask an administrator to link it.',
  },
  'staff.oidc.failure.mfa': {
    sv: 'Inloggningen gjordes inte med tvåstegsverifiering. Logga in igen med tvåstegsverifiering.',
    en: 'The sign-in did not use two-step verification. Sign in again with two-step verification.',
  },
  'staff.oidc.failure.unavailable': { sv: 'Kommunens inloggningstjänst svarar inte just nu. Försök igen senare.', en: 'The municipality’s sign-in service is not answering. Try again later.' },
  'staff.signIn.residents': { sv: 'Är du invånare? Logga in med e-legitimation', en: 'Are you a resident? Sign in with e-ID' },
  'staff.signIn.username': { sv: 'Användarnamn', en: 'Username' },
  'staff.signIn.password': { sv: 'Lösenord', en: 'Password' },
  'staff.signIn.submit': { sv: 'Fortsätt', en: 'Continue' },
  'staff.signIn.failed': {
    sv: 'Användarnamnet eller lösenordet stämmer inte, eller så är kontot tillfälligt spärrat efter för många försök. Kontrollera och försök igen.',
    en: 'The username or password is not right, or the account is temporarily locked after too many attempts. Check and try again.',
  },
  'staff.signIn.disabled': { sv: 'Kontot är avstängt. Kontakta en administratör.', en: 'This account is disabled. Contact an administrator.' },
  'staff.signIn.signedOut': { sv: 'Du är utloggad.', en: 'You have signed out.' },
  'staff.signIn.locked': {
    sv: 'För många felaktiga försök. Kontot är spärrat i {minutes} minuter. Logga in igen efter det.',
    en: 'Too many wrong attempts. The account is locked for {minutes} minutes. Sign in again after that.',
  },
  'staff.error.summaryTitle': { sv: 'Det finns ett problem', en: 'There is a problem' },
  'staff.error.usernameMissing': { sv: 'Skriv ditt användarnamn', en: 'Enter your username' },
  'staff.error.passwordMissing': { sv: 'Skriv ditt lösenord', en: 'Enter your password' },

  // Sign-in, step two
  'staff.code.title': { sv: 'Skriv engångskoden', en: 'Enter your one-time code' },
  'staff.code.lead': {
    sv: 'Öppna autentiseringsappen i din telefon och skriv koden som visas för {tenant}.',
    en: 'Open the authenticator app on your phone and enter the code it shows for {tenant}.',
  },
  'staff.code.label': { sv: 'Kod från appen', en: 'Code from the app' },
  'staff.code.hint': { sv: 'Sex siffror, till exempel 123456', en: 'Six digits, for example 123456' },
  'staff.code.submit': { sv: 'Logga in', en: 'Sign in' },
  'staff.code.useRecovery': {
    sv: 'Kommer du inte åt appen? Logga in med en återställningskod',
    en: 'Cannot use the app? Sign in with a recovery code',
  },
  'staff.code.cancel': { sv: 'Avbryt inloggningen', en: 'Cancel sign-in' },
  'staff.error.codeRequired': { sv: 'Skriv koden från appen', en: 'Enter the code from your app' },
  'staff.error.codeFormat': { sv: 'Koden ska vara sex siffror', en: 'The code must be six digits' },
  'staff.error.codeWrong': {
    sv: 'Koden stämmer inte. Kontrollera att du tittar på rätt konto i appen och att telefonens klocka går rätt, och försök igen.',
    en: 'The code is not right. Check that you are looking at the right account in the app and that your phone’s clock is right, then try again.',
  },
  'staff.error.codeReused': {
    sv: 'Koden har redan använts. Vänta tills appen visar en ny kod och skriv den.',
    en: 'That code has already been used. Wait for the app to show a new code and enter that.',
  },
  'staff.recovery.title': { sv: 'Logga in med en återställningskod', en: 'Sign in with a recovery code' },
  'staff.recovery.lead': {
    sv: 'Skriv en av återställningskoderna du fick när du aktiverade tvåstegsverifieringen. Varje kod fungerar en gång.',
    en: 'Enter one of the recovery codes you were given when you set up two-step verification. Each code works once.',
  },
  'staff.recovery.label': { sv: 'Återställningskod', en: 'Recovery code' },
  'staff.recovery.hint': { sv: 'Tio tecken, till exempel k3mfa-q9xzt', en: 'Ten characters, for example k3mfa-q9xzt' },
  'staff.recovery.useApp': { sv: 'Använd koden från appen i stället', en: 'Use the code from the app instead' },
  'staff.error.recoveryRequired': { sv: 'Skriv en återställningskod', en: 'Enter a recovery code' },
  'staff.error.recoveryWrong': {
    sv: 'Återställningskoden stämmer inte eller har redan använts.',
    en: 'The recovery code is not right or has already been used.',
  },

  // Enrolment
  'staff.enrol.title': { sv: 'Aktivera tvåstegsverifiering', en: 'Set up two-step verification' },
  'staff.enrol.lead': {
    sv: 'Ditt konto skyddas av en engångskod från en autentiseringsapp utöver lösenordet. Du gör det här en gång.',
    en: 'Your account is protected by a one-time code from an authenticator app as well as your password. You do this once.',
  },
  'staff.enrol.step1': {
    sv: 'Installera en autentiseringsapp i din telefon, till exempel den som din arbetsplats rekommenderar.',
    en: 'Install an authenticator app on your phone, for example the one your workplace recommends.',
  },
  'staff.enrol.step2': { sv: 'Lägg till ett konto i appen genom att skanna QR-koden.', en: 'Add an account in the app by scanning the QR code.' },
  'staff.enrol.qrAlt': {
    sv: 'QR-kod som lägger till kontot {username} hos {tenant} i en autentiseringsapp',
    en: 'QR code that adds the account {username} at {tenant} to an authenticator app',
  },
  'staff.enrol.manual': {
    sv: 'Kan du inte skanna? Skriv in nyckeln i appen och välj tidsbaserad kod (6 siffror, 30 sekunder).',
    en: 'Cannot scan? Type the key into the app and choose a time-based code (6 digits, 30 seconds).',
  },
  'staff.enrol.key': { sv: 'Nyckel', en: 'Key' },
  'staff.enrol.account': { sv: 'Konto', en: 'Account' },
  'staff.enrol.step3': { sv: 'Skriv koden som appen visar.', en: 'Enter the code the app shows.' },
  'staff.enrol.submit': { sv: 'Aktivera', en: 'Turn on' },
  'staff.codes.title': { sv: 'Spara dina återställningskoder', en: 'Save your recovery codes' },
  'staff.codes.lead': {
    sv: 'Tvåstegsverifieringen är aktiverad. Om du inte kommer åt appen kan du logga in med en av de här koderna. Varje kod fungerar en gång. Skriv ut dem eller spara dem säkert – de visas bara nu.',
    en: 'Two-step verification is on. If you cannot use the app you can sign in with one of these codes. Each code works once. Print them or store them safely – they are shown only now.',
  },
  'staff.codes.list': { sv: 'Återställningskoder', en: 'Recovery codes' },
  'staff.codes.continue': { sv: 'Jag har sparat koderna, fortsätt', en: 'I have saved the codes, continue' },

  // Home
  'staff.home.title': { sv: 'Startsida för medarbetare', en: 'Staff home' },
  'staff.home.welcome': { sv: 'Välkommen, {name}', en: 'Welcome, {name}' },
  'staff.home.account': { sv: 'Ditt konto', en: 'Your account' },
  'staff.home.username': { sv: 'Användarnamn', en: 'Username' },
  'staff.home.roles': { sv: 'Roller', en: 'Roles' },
  'staff.home.departments': { sv: 'Förvaltningar', en: 'Departments' },
  'staff.home.none': { sv: 'Inga', en: 'None' },
  'staff.home.recoveryLeft': { sv: 'Återställningskoder kvar', en: 'Recovery codes left' },
  'staff.home.recoveryLow': {
    sv: 'Du har {n} återställningskoder kvar. Be en administratör att återställa tvåstegsverifieringen, så får du nya när du aktiverar den igen.',
    en: 'You have {n} recovery codes left. Ask an administrator to reset two-step verification; you get new codes when you set it up again.',
  },
  'staff.home.shortcuts': { sv: 'Genvägar', en: 'Shortcuts' },
  'staff.home.changePassword': { sv: 'Byt lösenord', en: 'Change password' },
  'staff.home.admin': { sv: 'Administrera medarbetarkonton', en: 'Administer staff accounts' },
  'staff.home.audit': { sv: 'Granskningslogg (vem har läst vad)', en: 'Audit log (who read what)' },
  'staff.breadcrumb': { sv: 'Medarbetare', en: 'Staff' },

  // Roles
  'staff.admin.noDepartment.title': { sv: '{name} har ingen förvaltning', en: '{name} has no department' },
  'staff.admin.noDepartment.body': {
    sv: 'Kontot handlägger eller beslutar ärenden men ser bara ärenden i sina förvaltningar, så det ser inga alls. Välj förvaltningar under Uppgifter och behörighet.',
    en: 'The account handles or decides cases but sees only the cases of its departments, so it sees none at all. Choose departments under Details and access.',
  },
  'staff.admin.status.noDepartment': { sv: 'Ingen förvaltning', en: 'No department' },
  'staff.role.admin': { sv: 'Administratör', en: 'Administrator' },
  'staff.role.handler': { sv: 'Handläggare', en: 'Case handler' },
  'staff.role.security_officer': { sv: 'Säkerhetsansvarig', en: 'Security officer' },
  'staff.roleHint.declared': {
    sv: 'Roll som en e-tjänst anger: handlägger eller beslutar i dess ärenden enligt delegationen',
    en: 'A role an e-service declares: handles or decides its cases as delegated',
  },
  'staff.roleHint.admin': { sv: 'Skapar och administrerar medarbetarkonton', en: 'Creates and administers staff accounts' },
  'staff.roleHint.handler': { sv: 'Handlägger ärenden i sina förvaltningar', en: 'Handles cases in their departments' },
  'staff.roleHint.security_officer': {
    sv: 'Granskar och exporterar loggen över vem som läst vad',
    en: 'Reviews and exports the log of who read what',
  },

  // Own password
  'staff.password.title': { sv: 'Byt lösenord', en: 'Change password' },
  'staff.password.mustChange': {
    sv: 'Ditt lösenord valdes av en administratör. Välj ett eget innan du fortsätter.',
    en: 'Your password was chosen by an administrator. Choose your own before you continue.',
  },
  'staff.password.current': { sv: 'Nuvarande lösenord', en: 'Current password' },
  'staff.password.new': { sv: 'Nytt lösenord', en: 'New password' },
  'staff.password.newHint': {
    sv: 'Minst {min} tecken. En mening av flera ord är lätt att minnas och svår att gissa.',
    en: 'At least {min} characters. A sentence of several words is easy to remember and hard to guess.',
  },
  'staff.password.confirm': { sv: 'Upprepa det nya lösenordet', en: 'Repeat the new password' },
  'staff.password.submit': { sv: 'Byt lösenord', en: 'Change password' },
  'staff.password.changed': {
    sv: 'Lösenordet är bytt. Du är utloggad på alla andra enheter.',
    en: 'Your password has been changed. You have been signed out on all other devices.',
  },

  // Input errors (web forms and the command line)
  'staff.error.usernameRequired': { sv: 'Skriv ett användarnamn', en: 'Enter a username' },
  'staff.error.usernameFormat': {
    sv: 'Användarnamnet får bara innehålla små bokstäver a–z, siffror, punkt, bindestreck och understreck och ska vara 2–63 tecken',
    en: 'The username may contain only lower-case letters a–z, digits, dots, hyphens and underscores, and must be 2–63 characters long',
  },
  'staff.error.usernameTaken': { sv: 'Det finns redan ett konto med det användarnamnet', en: 'There is already an account with that username' },
  'staff.error.displayNameRequired': { sv: 'Skriv namnet', en: 'Enter the name' },
  'staff.error.displayNameTooLong': { sv: 'Namnet får vara högst 200 tecken', en: 'The name must be 200 characters or fewer' },
  'staff.error.emailRequired': { sv: 'Skriv e-postadressen', en: 'Enter the email address' },
  'staff.error.emailFormat': {
    sv: 'Skriv e-postadressen i rätt format, till exempel namn@kommun.se',
    en: 'Enter the email address in the correct format, like name@example.com',
  },
  'staff.error.unknownRole': {
    sv: 'Okänd roll: {role}. Roller: admin, handler, security_officer',
    en: 'Unknown role: {role}. Roles: admin, handler, security_officer',
  },
  'staff.error.unknownDepartment': {
    sv: 'Okänd förvaltning: {department}. Förvaltningar: {known}',
    en: 'Unknown department: {department}. Departments: {known}',
  },
  'staff.error.passwordRequired': { sv: 'Skriv ett lösenord', en: 'Enter a password' },
  'staff.error.passwordTooShort': { sv: 'Lösenordet måste vara minst {min} tecken', en: 'The password must be at least {min} characters' },
  'staff.error.passwordTooLong': { sv: 'Lösenordet får vara högst {max} tecken', en: 'The password must be {max} characters or fewer' },
  'staff.error.passwordContainsUsername': {
    sv: 'Lösenordet får inte innehålla användarnamnet',
    en: 'The password must not contain the username',
  },
  'staff.error.totpSecretFormat': {
    sv: 'TOTP-nyckeln ska vara base32 (A–Z, 2–7) och minst 26 tecken',
    en: 'The TOTP secret must be base32 (A–Z, 2–7) and at least 26 characters',
  },
  'staff.error.ownRoles': {
    sv: 'Du kan inte ändra dina egna roller. Be en annan administratör.',
    en: 'You cannot change your own roles. Ask another administrator.',
  },
  'staff.error.oidcNotConfigured': {
    sv: 'Kommunen har ingen egen inloggningstjänst för medarbetare',
    en: 'The municipality has no sign-in service of its own for staff',
  },
  'staff.error.oidcSubjectRequired': { sv: 'Skriv kontots identitet (sub) hos inloggningstjänsten', en: 'Enter the account’s identity (sub) at the sign-in service' },
  'staff.error.oidcSubjectFormat': {
    sv: 'Identiteten får vara högst {max} tecken, utan radbrytningar',
    en: 'The identity must be at most {max} characters, without line breaks',
  },
  'staff.error.oidcAlreadyBound': {
    sv: 'Kontot är redan kopplat till en identitet. Ta bort kopplingen först.',
    en: 'The account is already linked to an identity. Remove the link first.',
  },
  'staff.error.oidcSubjectTaken': {
    sv: 'Identiteten är redan kopplad till ett annat konto',
    en: 'The identity is already linked to another account',
  },
  'staff.error.resetOwnPassword': {
    sv: 'Byt ditt eget lösenord under Byt lösenord på din startsida',
    en: 'Change your own password with Change password on your home page',
  },
  'staff.error.disableSelf': { sv: 'Du kan inte stänga av ditt eget konto', en: 'You cannot disable your own account' },
  'staff.error.currentPasswordRequired': { sv: 'Skriv ditt nuvarande lösenord', en: 'Enter your current password' },
  'staff.error.currentPasswordWrong': { sv: 'Det nuvarande lösenordet stämmer inte', en: 'The current password is not right' },
  'staff.error.passwordUnchanged': {
    sv: 'Det nya lösenordet måste skilja sig från det nuvarande',
    en: 'The new password must be different from the current one',
  },
  'staff.error.passwordMismatch': { sv: 'Lösenorden är inte likadana', en: 'The passwords do not match' },

  // Administration: list
  'staff.admin.title': { sv: 'Medarbetarkonton', en: 'Staff accounts' },
  'staff.admin.create': { sv: 'Skapa konto', en: 'Create account' },
  'staff.admin.caption': { sv: 'Medarbetarkonton i {tenant}', en: 'Staff accounts in {tenant}' },
  'staff.admin.col.name': { sv: 'Namn', en: 'Name' },
  'staff.admin.col.username': { sv: 'Användarnamn', en: 'Username' },
  'staff.admin.col.roles': { sv: 'Roller', en: 'Roles' },
  'staff.admin.col.departments': { sv: 'Förvaltningar', en: 'Departments' },
  'staff.admin.col.status': { sv: 'Status', en: 'Status' },
  'staff.admin.status.active': { sv: 'Aktivt', en: 'Active' },
  'staff.admin.status.disabled': { sv: 'Avstängt', en: 'Disabled' },
  'staff.admin.status.locked': { sv: 'Tillfälligt spärrat', en: 'Temporarily locked' },
  'staff.admin.status.notEnrolled': { sv: 'Tvåstegsverifiering ej aktiverad', en: 'Two-step verification not set up' },
  'staff.admin.empty': { sv: 'Det finns inga konton här.', en: 'There are no accounts here.' },
  'staff.admin.pages': { sv: 'Sidor', en: 'Pages' },
  'staff.admin.prev': { sv: 'Föregående sida', en: 'Previous page' },
  'staff.admin.next': { sv: 'Nästa sida', en: 'Next page' },

  // Administration: create
  'staff.admin.new.title': { sv: 'Skapa medarbetarkonto', en: 'Create a staff account' },
  'staff.field.username': { sv: 'Användarnamn', en: 'Username' },
  'staff.field.usernameHint': {
    sv: 'Små bokstäver, siffror, punkt och bindestreck, till exempel anna.berg',
    en: 'Lower-case letters, digits, dots and hyphens, for example anna.berg',
  },
  'staff.field.displayName': { sv: 'Namn', en: 'Name' },
  'staff.field.email': { sv: 'E-postadress', en: 'Email address' },
  'staff.field.roles': { sv: 'Roller', en: 'Roles' },
  'staff.field.departments': { sv: 'Förvaltningar', en: 'Departments' },
  'staff.field.departmentsHint': {
    sv: 'Handläggare ser bara ärenden i de förvaltningar de tillhör.',
    en: 'Case handlers see only cases of the departments they belong to.',
  },
  'staff.field.initialPassword': { sv: 'Startlösenord (frivilligt)', en: 'Initial password (optional)' },
  'staff.field.initialPasswordHint': {
    sv: 'Lämna tomt så skapas ett starkt lösenord som visas en gång. Minst {min} tecken. Personen byter det vid första inloggningen.',
    en: 'Leave empty to have a strong password generated and shown once. At least {min} characters. The person changes it at first sign-in.',
  },
  'staff.admin.created.title': { sv: 'Kontot är skapat', en: 'The account has been created' },
  'staff.admin.created.body': {
    sv: 'Vid första inloggningen aktiverar {name} tvåstegsverifiering och väljer ett eget lösenord.',
    en: 'At first sign-in {name} sets up two-step verification and chooses their own password.',
  },
  'staff.admin.generatedPassword': { sv: 'Lösenord för {username}', en: 'Password for {username}' },
  'staff.admin.generatedPasswordNote': {
    sv: 'Ge lösenordet till personen på ett säkert sätt. Det visas bara nu och sparas inte i klartext.',
    en: 'Give the password to the person in a safe way. It is shown only now and is not stored in clear.',
  },
  'staff.admin.toAccount': { sv: 'Till kontot', en: 'Go to the account' },
  'staff.admin.toList': { sv: 'Till alla konton', en: 'Back to all accounts' },

  // Administration: one account
  'staff.account.details': { sv: 'Uppgifter och behörighet', en: 'Details and access' },
  'staff.account.save': { sv: 'Spara ändringar', en: 'Save changes' },
  'staff.account.summary': { sv: 'Översikt', en: 'Overview' },
  'staff.account.status': { sv: 'Status', en: 'Status' },
  'staff.account.totp': { sv: 'Tvåstegsverifiering', en: 'Two-step verification' },
  'staff.account.totpOn': { sv: 'Aktiverad {date}', en: 'Set up {date}' },
  'staff.account.totpOff': { sv: 'Inte aktiverad', en: 'Not set up' },
  'staff.account.lastSignIn': { sv: 'Senaste inloggning', en: 'Last sign-in' },
  'staff.account.created': { sv: 'Skapat', en: 'Created' },
  'staff.account.never': { sv: 'Aldrig', en: 'Never' },
  'staff.account.actions': { sv: 'Åtgärder', en: 'Actions' },
  'staff.account.disable': { sv: 'Stäng av kontot', en: 'Disable the account' },
  'staff.account.disableHint': {
    sv: 'Personen loggas ut direkt och kan inte logga in förrän kontot aktiveras igen.',
    en: 'The person is signed out at once and cannot sign in until the account is enabled again.',
  },
  'staff.account.enable': { sv: 'Aktivera kontot', en: 'Enable the account' },
  'staff.account.enableHint': { sv: 'Personen kan logga in igen.', en: 'The person can sign in again.' },
  'staff.account.resetTotp': { sv: 'Återställ tvåstegsverifiering', en: 'Reset two-step verification' },
  'staff.account.resetTotpHint': {
    sv: 'Till exempel när telefonen är borta. Personen loggas ut, återställningskoderna slutar gälla och tvåstegsverifieringen aktiveras på nytt vid nästa inloggning.',
    en: 'For example when the phone is lost. The person is signed out, the recovery codes stop working, and two-step verification is set up again at next sign-in.',
  },
  'staff.account.resetPassword': { sv: 'Återställ lösenord', en: 'Reset the password' },
  'staff.account.resetPasswordHint': {
    sv: 'Personen loggas ut och måste välja ett eget lösenord vid nästa inloggning.',
    en: 'The person is signed out and must choose their own password at next sign-in.',
  },
  'staff.account.resetPasswordField': { sv: 'Nytt lösenord (frivilligt)', en: 'New password (optional)' },
  'staff.account.resetPasswordFieldHint': {
    sv: 'Lämna tomt så skapas ett starkt lösenord som visas en gång. Minst {min} tecken.',
    en: 'Leave empty to have a strong password generated and shown once. At least {min} characters.',
  },
  'staff.account.oidc': { sv: 'Kommunens inloggningstjänst', en: 'The municipality’s sign-in service' },
  'staff.account.oidcBound': { sv: 'Kopplat till {subject}', en: 'Linked to {subject}' },
  'staff.account.oidcUnbound': { sv: 'Inte kopplat', en: 'Not linked' },
  'staff.account.oidcBind': { sv: 'Koppla till kommunens inloggningstjänst', en: 'Link to the municipality’s sign-in service' },
  'staff.account.oidcBindHint': {
    sv: 'Personen kan sedan logga in med sitt kommunkonto hos {issuer}. Bara den identitet du kopplar kan logga in som det här kontot.',
    en: 'The person can then sign in with their municipal account at {issuer}. Only the identity you link can sign in as this account.',
  },
  'staff.account.oidcSubject': { sv: 'Identitet (sub)', en: 'Identity (sub)' },
  'staff.account.oidcSubjectHint': {
    sv: 'Det oföränderliga id som inloggningstjänsten ger personen (claim sub), inte namn eller e-postadress.',
    en: 'The unchanging id the sign-in service gives the person (the sub claim), not a name or email address.',
  },
  'staff.account.oidcUnbind': { sv: 'Ta bort kopplingen', en: 'Remove the link' },
  'staff.account.oidcUnbindHint': {
    sv: 'Personen loggas ut och kan inte längre logga in med sitt kommunkonto.',
    en: 'The person is signed out and can no longer sign in with their municipal account.',
  },
  'staff.account.ownRoles': { sv: 'Dina egna roller ändras av en annan administratör.', en: 'Another administrator changes your own roles.' },
  'staff.account.history': { sv: 'Historik', en: 'History' },
  'staff.account.historyCaption': { sv: 'Ändringar av kontot, senaste först', en: 'Changes to the account, newest first' },
  'staff.account.col.when': { sv: 'När', en: 'When' },
  'staff.account.col.who': { sv: 'Vem', en: 'Who' },
  'staff.account.col.what': { sv: 'Vad', en: 'What' },
  'staff.account.noHistory': { sv: 'Inga ändringar ännu.', en: 'No changes yet.' },
  'staff.done.saved': { sv: 'Ändringarna är sparade.', en: 'The changes have been saved.' },
  'staff.done.unchanged': { sv: 'Inget ändrades.', en: 'Nothing was changed.' },
  'staff.done.disabled': { sv: 'Kontot är avstängt och personen är utloggad.', en: 'The account is disabled and the person has been signed out.' },
  'staff.done.enabled': { sv: 'Kontot är aktiverat.', en: 'The account is enabled.' },
  'staff.done.totpReset': {
    sv: 'Tvåstegsverifieringen är återställd. Personen aktiverar den på nytt vid nästa inloggning.',
    en: 'Two-step verification has been reset. The person sets it up again at next sign-in.',
  },
  'staff.done.oidcBound': { sv: 'Kontot är kopplat till identiteten.', en: 'The account is linked to the identity.' },
  'staff.done.oidcUnbound': {
    sv: 'Kopplingen är borttagen och personen är utloggad.',
    en: 'The link has been removed and the person has been signed out.',
  },
  'staff.done.passwordReset': {
    sv: 'Lösenordet är återställt och personen är utloggad.',
    en: 'The password has been reset and the person has been signed out.',
  },

  // History entries
  'staff.event.created': { sv: 'Kontot skapades', en: 'The account was created' },
  'staff.event.updated': { sv: 'Uppgifter ändrades', en: 'Details were changed' },
  'staff.event.disabled': { sv: 'Kontot stängdes av', en: 'The account was disabled' },
  'staff.event.enabled': { sv: 'Kontot aktiverades', en: 'The account was enabled' },
  'staff.event.password_reset': { sv: 'Lösenordet återställdes', en: 'The password was reset' },
  'staff.event.password_changed': { sv: 'Ägaren bytte lösenord', en: 'The owner changed the password' },
  'staff.event.totp_reset': { sv: 'Tvåstegsverifieringen återställdes', en: 'Two-step verification was reset' },
  'staff.event.totp_enrolled': { sv: 'Tvåstegsverifiering aktiverades', en: 'Two-step verification was set up' },
  'staff.event.recovery_code_used': { sv: 'En återställningskod användes ({left} kvar)', en: 'A recovery code was used ({left} left)' },
  'staff.event.locked': { sv: 'Kontot spärrades efter för många felaktiga försök', en: 'The account was locked after too many wrong attempts' },
  'staff.event.oidc_bound': { sv: 'Kopplades till identiteten {subject} hos {issuer}', en: 'Linked to the identity {subject} at {issuer}' },
  'staff.event.oidc_unbound': { sv: 'Kopplingen till identiteten {subject} hos {issuer} togs bort', en: 'The link to the identity {subject} at {issuer} was removed' },
  'staff.event.change': { sv: '{field}: {from} → {to}', en: '{field}: {from} → {to}' },
  'staff.event.actorSystem': { sv: 'Systemet', en: 'The system' },
});
