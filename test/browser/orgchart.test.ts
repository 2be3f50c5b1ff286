import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { launch, webStack, type BrowserRun } from './support';

// Korsbæk facts (the seed): Kontanthjælp og Integration, called Kontanthjælpsteamet until the 2019 rename,
// under Ydelsescenteret; Ungeteamet moved in 2023.
const KONTANTHJAELP = 'd55cee6a-bfcf-4aa3-84b0-c7cf0b693801';
const YDELSESCENTERET = 'd9ebec1f-9329-425a-93e3-9321b7770e01';
const UNGETEAMET = 'e81d1394-d087-4006-9133-12af296e39f9';

let run: BrowserRun;
let stack: Awaited<ReturnType<typeof webStack>>;
beforeAll(async () => {
  [run, stack] = await Promise.all([launch(), webStack()]);
});
afterAll(async () => {
  await run?.close();
  await stack?.close();
});

async function open(query = ''): Promise<Page> {
  const page = await run.newPage();
  await page.goto(`${stack.origin}/orgchart${query}`);
  await ready(page);
  return page;
}

const ready = (page: Page) => page.locator('#indhold[data-status="ready"]').waitFor({ timeout: 30_000 });
const unit = (page: Page, uuid: string) => page.locator(`#trae [data-uuid="${uuid}"] > .enhed .navn`);
/** Waits until the unit is shown with this name (a view may still be loading after an action). */
const shows = (page: Page, uuid: string, name: string) => unit(page, uuid).filter({ hasText: new RegExp(`^${name}$`) }).waitFor({ timeout: 15_000 });

async function saved(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]) as [Download, void];
  const bytes = await readFile(await download.path());
  return { name: download.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

/** The names the API gives for the root's children and Ydelsescenteret's children at a time. */
async function expectedNames(virkning: string): Promise<string[]> {
  const r = await stack.gql(`query($v: VirkningInput) { soegOrganisationer(first: 1, virkning: $v) { nodes { rodEnhed { navn underenheder { uuid navn underenheder { navn } } } } } }`, { v: { tidspunkt: virkning } });
  const root = r.data?.soegOrganisationer.nodes[0].rodEnhed;
  const kids = root.underenheder as Array<{ uuid: string; navn: string; underenheder: Array<{ navn: string }> }>;
  return [root.navn, ...kids.map((k) => k.navn), ...kids.find((k) => k.uuid === YDELSESCENTERET)!.underenheder.map((k) => k.navn)].sort();
}

describe('/orgchart', () => {
  it('opens at the root, expands on click and by keyboard, and goes back in time with the URL holding the state', async () => {
    const page = await open();
    await expect(unit(page, YDELSESCENTERET).innerText()).resolves.toBe('Ydelsescenteret');
    expect(await unit(page, KONTANTHJAELP).count()).toBe(0);
    await page.locator(`[data-uuid="${YDELSESCENTERET}"] > .enhed .fold`).click();
    await expect(unit(page, KONTANTHJAELP).innerText()).resolves.toBe('Kontanthjælp og Integration');
    // Leader (inherited from Ydelsescenteret) and staff count, as the API answers them.
    const facts = await stack.gql(`{ organisationEnhed(uuid: "${KONTANTHJAELP}") { antalMedarbejdere leder { tilknyttedePersoner { navn } } } }`);
    const meta = await page.locator(`[data-uuid="${KONTANTHJAELP}"] > .enhed .meta`).innerText();
    expect(meta).toContain(`Leder: ${facts.data?.organisationEnhed.leder.tilknyttedePersoner[0].navn} (arvet)`);
    expect(meta).toContain(`${facts.data?.organisationEnhed.antalMedarbejdere} medarbejdere`);
    expect(new URL(page.url()).searchParams.get('aaben')).toBe(YDELSESCENTERET);

    // Time travel: before the 2019 rename.
    await page.locator('#virkning').fill('2018-06-01');
    await page.locator('#virkning').dispatchEvent('change');
    await shows(page, KONTANTHJAELP, 'Kontanthjælpsteamet');
    expect(new URL(page.url()).searchParams.get('virkning')).toBe('2018-06-01');

    // The URL alone (a link, an iframe) gives the same view.
    const again = await open(new URL(page.url()).search);
    await expect(unit(again, KONTANTHJAELP).innerText()).resolves.toBe('Kontanthjælpsteamet');
    expect(await again.locator('#virkning').inputValue()).toBe('2018-06-01');
    // Back: the view before the date change.
    await page.goBack();
    await shows(page, KONTANTHJAELP, 'Kontanthjælp og Integration');

    // Keyboard: fold Ydelsescenteret with Enter, then open Social og Sundhedsforvaltningen with Space.
    await page.locator(`[data-uuid="${YDELSESCENTERET}"] > .enhed .fold`).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator(`[data-uuid="${YDELSESCENTERET}"]`).getAttribute('aria-expanded')).resolves.toBe('false');
    expect(await unit(page, KONTANTHJAELP).count()).toBe(0);
    await page.keyboard.press('Enter');
    await expect(page.locator(`[data-uuid="${YDELSESCENTERET}"]`).getAttribute('aria-expanded')).resolves.toBe('true');
  });

  it('registrering reads the data as recorded then: the rename registered on 2019-03-13 is not yet known on 2019-03-05', async () => {
    const page = await open(`?enhed=${YDELSESCENTERET}&virkning=2019-06-01&registrering=2019-03-05`);
    await expect(unit(page, KONTANTHJAELP).innerText()).resolves.toBe('Kontanthjælpsteamet');
    await page.locator('#registrering').fill('');
    await page.locator('#registrering').dispatchEvent('change');
    await shows(page, KONTANTHJAELP, 'Kontanthjælp og Integration');
    // The tree starts at the unit in the URL; the path leads back to the root.
    await expect(page.locator('#sti').innerText()).resolves.toContain('Korsbæk Kommune');
  });

  it('shows what changed between two dates: the 2019 rename and the 2023 move', async () => {
    const page = await open('?visning=aendringer&fra=2018-06-01');
    const rename = page.locator(`#aendringer-tabel tr[data-uuid="${KONTANTHJAELP}"][data-type="omdøbt"] td`);
    await expect(rename.allInnerTexts()).resolves.toEqual(['omdøbt', 'Kontanthjælp og Integration', 'Kontanthjælpsteamet', 'Kontanthjælp og Integration']);
    const moved = page.locator(`#aendringer-tabel tr[data-uuid="${UNGETEAMET}"][data-type="flyttet"] td`);
    expect((await moved.allInnerTexts())[2]).toBe('Ydelsescenteret');
    // Nothing changed between two dates after both events.
    await page.locator('#fra').fill('2024-01-01');
    await page.locator('#fra').dispatchEvent('change');
    await ready(page);
    expect(await page.locator('#aendringer-tabel tbody tr').count()).toBe(0);
    await expect(page.locator('#aendringer-resume').innerText()).resolves.toContain('Ingen ændringer');

    // The changes export as CSV, one row per change.
    const p2 = await open('?visning=aendringer&fra=2018-06-01&til=2024-01-01');
    const shown = await p2.locator('#aendringer-tabel tbody tr').count();
    const csv = await saved(p2, () => p2.locator('#eksport-csv').click());
    expect(csv.name).toBe('aendringer-2018-06-01-2024-01-01.csv');
    const lines = csv.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('aendring,uuid,enhed,foer,efter,fra,til');
    expect(lines).toHaveLength(shown + 1);
    expect(lines).toContain(`omdøbt,${KONTANTHJAELP},Kontanthjælp og Integration,Kontanthjælpsteamet,Kontanthjælp og Integration,2018-06-01,2024-01-01`);
  });

  it('exports what is shown as CSV, SVG and PNG', async () => {
    const page = await open(`?virkning=2018-06-01&aaben=${YDELSESCENTERET}`);
    const expected = await expectedNames('2018-06-01T00:00:00Z');
    expect(expected).toContain('Kontanthjælpsteamet');

    const csv = await saved(page, () => page.locator('#eksport-csv').click());
    expect(csv.name).toBe('organisation-2018-06-01.csv');
    const [header, ...rows] = csv.text.replace(/^\ufeff/, '').trim().split('\r\n').map((l) => l.split(','));
    expect(header).toEqual(['niveau', 'uuid', 'navn', 'overordnet', 'leder', 'arvet_leder', 'medarbejdere', 'virkning', 'registrering']);
    expect(rows.map((r) => r[2]).sort()).toEqual(expected);
    const kh = rows.find((r) => r[1] === KONTANTHJAELP)!;
    expect(kh.slice(0, 4)).toEqual(['2', KONTANTHJAELP, 'Kontanthjælpsteamet', 'Ydelsescenteret']);
    expect(kh.slice(7)).toEqual(['2018-06-01', 'nu']);

    const svg = await saved(page, () => page.locator('#eksport-svg').click());
    expect(svg.name).toBe('organisation-2018-06-01.svg');
    expect(svg.text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const drawn = [...svg.text.matchAll(/<g data-uuid="([^"]+)">/g)].map((m) => m[1]);
    expect(drawn).toEqual(rows.map((r) => r[1]));
    expect(svg.text).toContain('>Kontanthjælpsteamet<');

    const png = await saved(page, () => page.locator('#eksport-png').click());
    expect(png.name).toBe('organisation-2018-06-01.png');
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: the picture has the SVG's size.
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg.text)!;
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([Number(w), Number(h)]);
  });

  it('finds a unit by name and shows the tree from it; embeds in an iframe from its URL alone', async () => {
    const page = await open();
    await page.locator('#soeg').fill('kontant');
    const hit = page.locator(`#soegeresultater button[data-uuid="${KONTANTHJAELP}"]`);
    await expect(hit.innerText()).resolves.toContain('Kontanthjælp og Integration');
    await hit.click();
    await ready(page);
    expect(new URL(page.url()).searchParams.get('enhed')).toBe(KONTANTHJAELP);
    await expect(page.locator('#trae [role="treeitem"][aria-level="1"] > .enhed .navn').innerText()).resolves.toBe('Kontanthjælp og Integration');
    await expect(page.locator('#sti').innerText()).resolves.toMatch(/Korsbæk Kommune.*Ydelsescenteret/);
    // Up again through the path.
    await page.locator('#sti a', { hasText: 'Ydelsescenteret' }).click();
    await ready(page);
    expect(new URL(page.url()).searchParams.get('enhed')).toBe(YDELSESCENTERET);

    // A dashboard on another origin (a server of the test's own, on loopback) embeds the view by URL.
    const dashboard = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<iframe width="900" height="600" src="${stack.origin}/orgchart?enhed=${YDELSESCENTERET}&virkning=2018-06-01"></iframe>`);
    });
    await new Promise<void>((resolve) => dashboard.listen(0, 'localhost', resolve));
    const host = await run.newPage();
    await host.goto(`http://localhost:${(dashboard.address() as AddressInfo).port}/`);
    const frame = host.frameLocator('iframe');
    await frame.locator('#indhold[data-status="ready"]').waitFor();
    await expect(frame.locator(`[data-uuid="${KONTANTHJAELP}"] > .enhed .navn`).innerText()).resolves.toBe('Kontanthjælpsteamet');
    expect(run.blocked).toEqual([]);
    dashboard.close();
  });
});
