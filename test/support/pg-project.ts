// setupFiles of the jest project "postgres": the emulator suites run against PostgresStore.
import { adminUrl } from './pg';

process.env.SF1500_TEST_STORE = 'postgres';
adminUrl(); // fails every suite at once when no server was given
