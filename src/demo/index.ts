/** Demo data: the seed and the demo staff accounts (the commands are in cli.ts). */

export { seedDemo, type SeedResult } from './seed.ts';
export { DEMO_STAFF, DEMO_PASSWORD, type DemoStaff } from './accounts.ts';
