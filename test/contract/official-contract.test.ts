import { mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOfficialContract } from '../../src/sf1500/official';
import { Sf1500Client } from '../../src/sf1500/client';
import { requireOfficialContract } from '../support/xsd';

const dir = requireOfficialContract();
const d = dir ? describe : describe.skip;

d('KOMBIT\'s official WSDL directory (SF1500_OFFICIAL_CONTRACT)', () => {
  it('has every operation the client calls, with the soapActions the client sends', async () => {
    const c = await loadOfficialContract(dir!);
    expect(c.soapActions.size).toBe(11 * 8 + 3 + 1);
    for (const [key, action] of c.soapActions) {
      const [service, op] = key.split('.');
      const system = service === 'klasse' ? 'klassifikation' : 'organisation';
      expect(Sf1500Client.soapAction(system, service, op)).toBe(action);
    }
  });

  it('refuses a directory that lacks a service, naming it', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'official-'));
    try {
      cpSync(dir!, tmp, { recursive: true });
      rmSync(join(tmp, 'wsdl', 'Bruger.wsdl'));
      await expect(loadOfficialContract(tmp)).rejects.toThrow(/Bruger\.wsdl: missing/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
