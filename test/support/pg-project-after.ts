// setupFilesAfterEnv of the jest project "postgres": each suite drops the databases it created.
import { dropCreatedDatabases } from './pg';

afterAll(() => dropCreatedDatabases());
