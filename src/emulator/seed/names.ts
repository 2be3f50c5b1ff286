/** Word lists for the generator: common Danish names and typical municipal unit and job names (all generic). */

export const FEMALE_FIRST = [
  'Anne', 'Kirsten', 'Hanne', 'Mette', 'Anna', 'Helle', 'Susanne', 'Lene', 'Maria', 'Marianne', 'Lone', 'Camilla',
  'Pia', 'Louise', 'Charlotte', 'Tina', 'Gitte', 'Inge', 'Bente', 'Karen', 'Ida', 'Emma', 'Sofie', 'Julie', 'Laura',
  'Mia', 'Freja', 'Cecilie', 'Line', 'Sanne', 'Rikke', 'Birgitte', 'Dorthe', 'Jette', 'Malene', 'Heidi', 'Trine',
  'Signe', 'Maja', 'Nanna', 'Ulla', 'Vibeke', 'Astrid', 'Ellen', 'Grethe', 'Karina', 'Stine', 'Josefine', 'Clara', 'Sara',
] as const;

export const MALE_FIRST = [
  'Peter', 'Michael', 'Lars', 'Jens', 'Thomas', 'Henrik', 'Søren', 'Christian', 'Martin', 'Jan', 'Morten', 'Jesper',
  'Anders', 'Niels', 'Mads', 'Rasmus', 'Per', 'Hans', 'Jørgen', 'Kim', 'Ole', 'Erik', 'Frederik', 'Mikkel', 'Jakob',
  'Kasper', 'Simon', 'Jonas', 'Emil', 'Lasse', 'Bo', 'Steen', 'Torben', 'Allan', 'Brian', 'Kristian', 'Nikolaj',
  'Claus', 'Poul', 'Carsten', 'Jacob', 'Oliver', 'William', 'Magnus', 'Tobias', 'Rune', 'Kenneth', 'Flemming', 'Bjarne', 'Johan',
] as const;

export const LAST = [
  'Nielsen', 'Jensen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen',
  'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen',
  'Knudsen', 'Jakobsen', 'Jacobsen', 'Mikkelsen', 'Olesen', 'Frederiksen', 'Laursen', 'Henriksen', 'Lund', 'Schmidt',
  'Eriksen', 'Holm', 'Kristiansen', 'Clausen', 'Simonsen', 'Svendsen', 'Andreasen', 'Iversen', 'Jeppesen', 'Mogensen',
  'Jespersen', 'Nissen', 'Lauridsen', 'Frandsen', 'Østergaard', 'Jepsen', 'Kjær', 'Carlsen', 'Vestergaard', 'Jessen',
  'Nørgaard', 'Dahl', 'Christoffersen', 'Skov', 'Søndergaard', 'Bertelsen', 'Bruun', 'Lassen', 'Bach', 'Gregersen',
  'Friis', 'Johnsen', 'Steffensen', 'Kjeldsen', 'Bech', 'Krogh', 'Lauritsen', 'Danielsen', 'Mathiasen', 'Andresen',
  'Brandt', 'Winther', 'Toft', 'Ravn', 'Mathiesen', 'Dam', 'Holst', 'Nygaard', 'Berg', 'Kruse',
] as const;

/** Fictional municipality names: prefix + suffix. */
export const TOWN_PREFIX = ['Sønder', 'Nørre', 'Vester', 'Øster', 'Store', 'Lille', 'Ny', 'Gammel', 'Hvide', 'Skov'] as const;
export const TOWN_SUFFIX = ['bæk', 'lund', 'by', 'holm', 'rup', 'løse', 'sted', 'høj', 'strand', 'vig', 'mose', 'lev'] as const;

export const FORVALTNINGER = [
  'Børne- og Ungeforvaltningen', 'Social- og Sundhedsforvaltningen', 'Teknik- og Miljøforvaltningen',
  'Kultur- og Fritidsforvaltningen', 'Beskæftigelsesforvaltningen', 'Økonomi- og Personaleforvaltningen',
  'Borgerservice og Digitalisering', 'Direktionssekretariatet', 'Ældre- og Handicapforvaltningen',
  'Plan- og Udviklingsforvaltningen',
] as const;

export const OMRAADER = [
  'Skoleafdelingen', 'Dagtilbudsafdelingen', 'Familieafdelingen', 'Sundhedsplejen', 'Tandplejen', 'Ældreområdet',
  'Handicapområdet', 'Psykiatri og Misbrug', 'Jobcenter', 'Ydelsescenter', 'Borgerservice', 'Vej og Park',
  'Byggeri og Plan', 'Natur og Miljø', 'Ejendomscenter', 'Kultur og Fritid', 'Biblioteket', 'Musikskolen',
  'Økonomiafdelingen', 'HR-afdelingen', 'IT-afdelingen', 'Digitalisering', 'Løn og Personale', 'Indkøb',
  'Sekretariatet', 'Jura', 'Kommunikation', 'Beredskab', 'Integration', 'Myndighed og Visitation',
] as const;

/** Level-4 patterns; `{p}` a place, `{d}` a district, `{l}` a letter. */
export const INSTITUTIONER = [
  '{p}skolen', 'Børnehuset {p}', 'Plejecenter {p}', 'Hjemmeplejen {d}', 'Sagsbehandling {l}', 'Dagplejen {d}',
  '{p} Bibliotek', 'Rådgivningen {d}', 'Bostedet {p}', 'Fritidscenter {p}', 'Ungdomsskolen {d}', 'Genoptræning {d}',
  'Driftsgården {d}', 'Visitationen {d}', 'Sundhedshuset {p}', 'Klubben {p}',
] as const;

/** Level-5+ patterns. */
export const TEAMS = [
  'Team {d} {n}', 'Afsnit {l}', 'Gruppe {n}', 'Indskolingen', 'Mellemtrinnet', 'Udskolingen', 'Vuggestuen',
  'Børnehaven', 'Dagholdet', 'Aftenholdet', 'Natholdet', 'Team {p}', 'Modtagelsen', 'Administrationen', 'Team {l}{n}',
] as const;

export const PLACES = [
  'Engvang', 'Bakkely', 'Søndermark', 'Nørrevang', 'Skovbo', 'Solhøj', 'Lindegården', 'Kildebakken', 'Vestergård',
  'Østerled', 'Højvang', 'Rosenlund', 'Egeskov', 'Birkely', 'Hasselbo', 'Mølleparken', 'Kirkebjerg', 'Åbakken',
  'Fjordvang', 'Toftegården', 'Lærkevang', 'Bøgely', 'Stensbjerg', 'Granly',
] as const;
export const DISTRICTS = ['Nord', 'Syd', 'Øst', 'Vest', 'Midt', 'Centrum'] as const;

export const JOB_TITLES = [
  'Sagsbehandler', 'Socialrådgiver', 'Lærer', 'Pædagog', 'Social- og sundhedsassistent', 'Social- og sundhedshjælper',
  'Konsulent', 'Specialkonsulent', 'Fuldmægtig', 'Administrativ medarbejder', 'Sygeplejerske', 'Ingeniør', 'Jurist',
  'Økonom', 'IT-medarbejder', 'Projektleder', 'Assistent', 'Ergoterapeut', 'Fysioterapeut', 'Pædagogmedhjælper',
  'Tandlæge', 'Sundhedsplejerske', 'Bibliotekar', 'Gartner', 'Vejmand', 'Jobkonsulent', 'Ydelsesmedarbejder',
  'Psykolog', 'Kommunikationsmedarbejder', 'Elev',
] as const;

/** Leader titles by level (1 = root); deeper levels use the last. */
export const LEADER_TITLES = ['Kommunaldirektør', 'Direktør', 'Afdelingschef', 'Leder', 'Teamleder'] as const;

export const STREETS = ['Rådhuspladsen', 'Torvet', 'Skolevej', 'Kirkevej', 'Stationsvej', 'Møllevej', 'Bygaden', 'Parkvej', 'Engvej', 'Havnevej'] as const;
