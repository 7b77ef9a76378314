#!/usr/bin/env python3
# Regenerates src/KcCsp.Data/Seed/categories.json: the partnership's canonical crime categories, every category name
# the MPS has printed in its borough, ward and LSOA extracts since 2008 (read from the real files below and listed by
# hand for the eras we have no file of), the measures over them and the taxonomy changes.
# Usage: scripts/make-category-seed.py src/KcCsp.Data/Seed/categories.json   (KCCSP_SHARED_DATA defaults to ../shared/data)
# Every name must map to a canonical category in MAP (by its normalised minor name); an unreviewed name stops the script.
import csv, glob, json, os, re, sys

DATA = os.environ.get('KCCSP_SHARED_DATA', '../shared/data')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = [DATA + '/mps/mps-borough-level-crime-historic-2008-2016.csv', DATA + '/mps/mps-borough-level-crime-2010-04-to-2022-02.csv'] \
    + sorted(glob.glob(ROOT + '/tests/KcCsp.Web.Tests/RealFiles/mps/*.csv'))

# The same normalisation as CategoryNames.Normalise (C#): case, punctuation, articles, plural "s", MPS abbreviations.
ABBREV = {'misc': 'miscellaneous', 'agg': 'aggravated', 'aggr': 'aggravated', 'bldg': 'building', 'bldgs': 'building', 'veh': 'vehicle',
          'vehs': 'vehicle', 'unauth': 'unauthorised', 'unauthorized': 'unauthorised', 'res': 'residential', 'resi': 'residential',
          'mv': 'motor vehicle', 'poss': 'possession', 'govt': 'government', 'offs': 'offence'}
def norm(s):
    s = s.strip().lower().replace('m/v', ' motor vehicle ').replace('&', ' and ')
    out = []
    for w in re.split(r'[^0-9a-z]+', s):
        if not w or w in ('a', 'an', 'the'): continue
        if w in ABBREV: out.extend(ABBREV[w].split()); continue
        out.append(w[:-1] if len(w) > 3 and w[-1] == 's' and w[-2] not in 'sui' else w)
    return ' '.join(out)

names = []
def add(major, minor):
    if (major, minor) not in names: names.append((major, minor))
for f in FILES:
    r = csv.reader(open(f, encoding='utf-8-sig', newline=''))
    h = next(r)
    ma = next(i for i, c in enumerate(h) if c in ('Major Category', 'MajorText', 'Group'))
    mi = next(i for i, c in enumerate(h) if c in ('Minor Category', 'MinorText', 'SubGroup'))
    for row in r: add(row[ma], row[mi])
# Eras and levels we have no file of: the 2017-2018 ward and LSOA files, the domain notes' spellings, the 2008-2016 LSOA
# file's lower-case minors, the 2023+ minors as ward files print them.
for major, minor in [('Burglary', 'Burglary - Residential'), ('Burglary', 'Burglary - Business and Community'),
                     ('Theft and Handling', 'Theft From M/V'), ('Theft and Handling', 'Theft/Taking of M/V'),
                     ('Theft and Handling', 'Theft/Taking of Pedal Cycle'), ('Robbery', 'Robbery / Personal Property'),
                     ('Robbery', 'Robbery / Business Property'), ('Drugs', 'Other Drugs'),
                     ('BURGLARY', 'RES BURGLARY OF A HOME'), ('BURGLARY', 'RES BURGLARY OF UNCONNECTED BUILDING'),
                     ('DRUG OFFENCES', 'DRUG TRAFFICKING'), ('THEFT', 'THEFT FROM PERSON'),
                     ('VIOLENCE AGAINST THE PERSON', 'DEATH OR SERIOUS INJURY - UNLAWFUL DRIVING')]:
    add(major, minor)

# code: (name, major group)
CANON = {
 'arson': ('Arson', 'Arson and Criminal Damage'),
 'criminal-damage': ('Criminal damage', 'Arson and Criminal Damage'),
 'criminal-damage-to-dwelling': ('Criminal damage to a dwelling', 'Arson and Criminal Damage'),
 'criminal-damage-to-motor-vehicle': ('Criminal damage to a motor vehicle', 'Arson and Criminal Damage'),
 'criminal-damage-to-other-building': ('Criminal damage to other buildings', 'Arson and Criminal Damage'),
 'other-criminal-damage': ('Other criminal damage', 'Arson and Criminal Damage'),
 'residential-burglary': ('Residential burglary', 'Burglary'),
 'residential-burglary-of-a-home': ('Residential burglary of a home', 'Burglary'),
 'residential-burglary-of-an-unconnected-building': ('Residential burglary of an unconnected building', 'Burglary'),
 'business-burglary': ('Burglary of business and community premises', 'Burglary'),
 'drug-trafficking': ('Drug trafficking', 'Drugs'),
 'possession-of-drugs': ('Possession of drugs', 'Drugs'),
 'other-drugs': ('Other drugs offences', 'Drugs'),
 'fraud-forgery-counted-per-victim': ('Fraud and forgery counted per victim', 'Fraud and Forgery'),
 'other-fraud-and-forgery': ('Other fraud and forgery', 'Fraud and Forgery'),
 'historical-fraud-and-forgery': ('Historical fraud and forgery (police-recorded, before Action Fraud)', 'Fraud and Forgery'),
 'nfib-fraud': ('Fraud recorded by the NFIB (Action Fraud)', 'Fraud and Forgery'),
 'miscellaneous-crimes-against-society': ('Miscellaneous crimes against society (one line in the 2023+ releases)', 'Miscellaneous Crimes Against Society'),
 'possession-of-weapons': ('Possession of weapons (one line in the 2023+ releases)', 'Possession of Weapons'),
 'business-robbery': ('Business robbery', 'Robbery'),
 'personal-robbery': ('Personal robbery', 'Robbery'),
 'rape': ('Rape', 'Sexual Offences'),
 'other-sexual-offences': ('Other sexual offences', 'Sexual Offences'),
 'bicycle-theft': ('Bicycle theft', 'Theft'),
 'other-theft': ('Other theft', 'Theft'),
 'shoplifting': ('Shoplifting', 'Theft'),
 'theft-from-person': ('Theft from the person', 'Theft'),
 'aggravated-vehicle-taking': ('Aggravated vehicle taking', 'Vehicle Offences'),
 'interfering-with-a-motor-vehicle': ('Interfering with a motor vehicle', 'Vehicle Offences'),
 'theft-from-motor-vehicle': ('Theft from motor vehicle', 'Vehicle Offences'),
 'theft-taking-of-motor-vehicle': ('Theft/taking of motor vehicle', 'Vehicle Offences'),
 'homicide': ('Homicide (murder)', 'Violence Against the Person'),
 'wounding-gbh': ('Wounding/GBH', 'Violence Against the Person'),
 'grievous-bodily-harm': ('Grievous bodily harm', 'Violence Against the Person'),
 'assault-with-injury': ('Assault with injury', 'Violence Against the Person'),
 'common-assault': ('Common assault', 'Violence Against the Person'),
 'harassment': ('Harassment', 'Violence Against the Person'),
 'offensive-weapon': ('Offensive weapon', 'Violence Against the Person'),
 'other-violence': ('Other violence', 'Violence Against the Person'),
 'violence-with-injury': ('Violence with injury', 'Violence Against the Person'),
 'violence-without-injury': ('Violence without injury', 'Violence Against the Person'),
 'stalking-and-harassment': ('Stalking and harassment', 'Violence Against the Person'),
 'death-or-serious-injury-by-unlawful-driving': ('Death or serious injury caused by unlawful driving', 'Violence Against the Person'),
 'other-offences-against-the-state-or-public-order': ('Other offences against the state or public order', 'Public Order Offences'),
 'public-fear-alarm-or-distress': ('Public fear, alarm or distress', 'Public Order Offences'),
 'racially-or-religiously-aggravated-public-fear-al': ('Racially or religiously aggravated public fear, alarm or distress', 'Public Order Offences'),
 'violent-disorder': ('Violent disorder', 'Public Order Offences'),
}
for code, minor in [('absconding-from-lawful-custody', 'Absconding from Lawful Custody'), ('aiding-suicide', 'Aiding Suicide'),
                    ('bail-offences', 'Bail Offences'), ('bigamy', 'Bigamy'), ('concealing-an-infant-death-close-to-birth', 'Concealing an Infant Death Close to Birth'),
                    ('dangerous-driving', 'Dangerous Driving'), ('disclosure-obstruction-false-or-misleading-state', 'Disclosure, Obstruction, False or Misleading Statements'),
                    ('exploitation-of-prostitution', 'Exploitation of Prostitution'), ('forgery-or-use-of-drug-prescription', 'Forgery or Use of Drug Prescription'),
                    ('fraud-or-forgery-associated-with-driver-records', 'Fraud or Forgery Associated with Driver Records'),
                    ('going-equipped-for-stealing', 'Going Equipped for Stealing'), ('handling-stolen-goods', 'Handling Stolen Goods'),
                    ('making-supplying-or-possessing-articles-for-use-i', 'Making, Supplying or Possessing Articles for use in Fraud'),
                    ('obscene-publications', 'Obscene Publications'), ('offender-management-act', 'Offender Management Act'), ('other-forgery', 'Other Forgery'),
                    ('other-notifiable-offences', 'Other Notifiable Offences'), ('perjury', 'Perjury'), ('perverting-course-of-justice', 'Perverting Course of Justice'),
                    ('possession-of-false-documents', 'Possession of False Documents'), ('profitting-from-or-concealing-proceeds-of-crime', 'Profiting From or Concealing Proceeds of Crime'),
                    ('soliciting-for-prostitution', 'Soliciting for Prostitution'), ('threat-or-possession-with-intent-to-commit-crimina', 'Threat or Possession With Intent to Commit Criminal Damage'),
                    ('wildlife-crime', 'Wildlife Crime')]:
    CANON[code] = (minor, 'Miscellaneous Crimes Against Society')
for code, minor in [('other-firearm-offences', 'Other Firearm Offences'), ('other-knife-offences', 'Other Knife Offences'),
                    ('possession-of-article-with-blade-or-point', 'Possession of Article with Blade or Point'), ('possession-of-firearm-with-intent', 'Possession of Firearm with Intent'),
                    ('possession-of-firearms-offences', 'Possession of Firearms Offences'), ('possession-of-other-weapon', 'Possession of Other Weapon')]:
    CANON[code] = (minor, 'Possession of Weapons')

# Every spelling, by normalised minor name (a few need the major too: see MAJOR_MAP).
MAP = {}
def m(code, *minors):
    assert code in CANON, code
    for x in minors: MAP[norm(x)] = code
m('arson', 'Arson'); m('criminal-damage', 'Criminal Damage')
m('criminal-damage-to-dwelling', 'Criminal Damage To Dwelling'); m('criminal-damage-to-motor-vehicle', 'Criminal Damage To Motor Vehicle')
m('criminal-damage-to-other-building', 'Criminal Damage To Other Building'); m('other-criminal-damage', 'Other Criminal Damage')
m('residential-burglary', 'Burglary in a Dwelling', 'Domestic Burglary', 'Burglary - Residential', 'Residential Burglary')
m('residential-burglary-of-a-home', 'RES BURGLARY OF A HOME'); m('residential-burglary-of-an-unconnected-building', 'RES BURGLARY OF UNCONNECTED BUILDING')
m('business-burglary', 'Burglary in Other Buildings', 'Burglary Business and Community', 'BURGLARY NON-DWELLING', 'Non-Domestic Burglary')
m('drug-trafficking', 'Drug Trafficking', 'TRAFFICKING OF DRUGS'); m('possession-of-drugs', 'Possession Of Drugs')
m('other-drugs', 'Other Drugs', 'Other Drug Offences')
m('fraud-forgery-counted-per-victim', 'Counted per Victim'); m('other-fraud-and-forgery', 'Other Fraud & Forgery')
m('historical-fraud-and-forgery', 'Historical Fraud and Forgery', 'FRAUD AND FORGERY'); m('nfib-fraud', 'NFIB')
m('miscellaneous-crimes-against-society', 'MISC CRIMES AGAINST SOCIETY'); m('possession-of-weapons', 'POSSESSION OF WEAPONS')
m('personal-robbery', 'Personal Property', 'Robbery of Personal Property', 'Robbery / Personal Property')
m('business-robbery', 'Business Property', 'Robbery of Business Property', 'Robbery / Business Property')
m('rape', 'Rape'); m('other-sexual-offences', 'Other Sexual', 'Other Sexual Offences')
m('bicycle-theft', 'Bicycle Theft', 'Theft/Taking of Pedal Cycle', 'Theft/Taking of Pedal Cycles'); m('other-theft', 'Other Theft')
m('shoplifting', 'Shoplifting', 'Theft From Shops'); m('theft-from-person', 'Theft from Person', 'Other Theft Person', 'Theft Person', 'THEFT FROM THE PERSON')
m('aggravated-vehicle-taking', 'Aggravated Vehicle Taking')
m('interfering-with-a-motor-vehicle', 'Interfering with a Motor Vehicle', 'Motor Vehicle Interference & Tampering', 'M/V Interference & Tampering')
m('theft-from-motor-vehicle', 'Theft From Motor Vehicle', 'THEFT FROM A VEHICLE')
m('theft-taking-of-motor-vehicle', 'Theft/Taking Of Motor Vehicle', 'Theft or Taking of a Motor Vehicle', 'THEFT OR UNAUTH TAKING OF A MOTOR VEH')
m('homicide', 'Murder', 'Homicide'); m('wounding-gbh', 'Wounding/GBH'); m('grievous-bodily-harm', 'Grievous Bodily Harm')
m('assault-with-injury', 'Assault with Injury'); m('common-assault', 'Common Assault'); m('harassment', 'Harassment')
m('offensive-weapon', 'Offensive Weapon'); m('other-violence', 'Other violence'); m('violence-with-injury', 'Violence with Injury')
m('violence-without-injury', 'Violence without Injury'); m('stalking-and-harassment', 'STALKING AND HARASSMENT')
m('death-or-serious-injury-by-unlawful-driving', 'DEATH SERIOUS INJURY ILLEGAL DRIVING', 'DEATH OR SERIOUS INJURY - UNLAWFUL DRIVING')
m('other-offences-against-the-state-or-public-order', 'Other Offences Against the State, or Public Order', 'OTHER OFFENCES PUBLIC ORDER')
m('public-fear-alarm-or-distress', 'Public Fear Alarm or Distress')
m('racially-or-religiously-aggravated-public-fear-al', 'Racially or Religiously Aggravated Public Fear, Al', 'RACE OR RELIGIOUS AGG PUBLIC FEAR',
  'Racially or Religiously Aggravated Public Fear, Alarm or Distress')
m('violent-disorder', 'Violent Disorder')
for code, (name, group) in CANON.items():
    if group in ('Miscellaneous Crimes Against Society', 'Possession of Weapons') and code not in ('miscellaneous-crimes-against-society', 'possession-of-weapons'):
        m(code, name)
m('making-supplying-or-possessing-articles-for-use-i', 'Making, Supplying or Possessing Articles for use i')
m('threat-or-possession-with-intent-to-commit-crimina', 'Threat or Possession With Intent to Commit Crimina')
m('disclosure-obstruction-false-or-misleading-state', 'Disclosure, Obstruction, False or Misleading State')
m('profitting-from-or-concealing-proceeds-of-crime', 'Profitting From or Concealing Proceeds of Crime')
m('going-equipped-for-stealing', 'Going Equipped'); m('other-notifiable-offences', 'Other Notifiable')
# A minor name that means different things under different majors: (normalised major, normalised minor) → code.
MAJOR_MAP = {}

aliases, seen, minor_codes = [], set(), {}
for major, minor in names:
    code = MAJOR_MAP.get((norm(major), norm(minor))) or MAP.get(norm(minor))
    if code is None: sys.exit(f'unreviewed category name: {major!r} / {minor!r}: add it to MAP')
    minor_codes.setdefault(norm(minor), set()).add(code)
    key = (norm(major), norm(minor))
    if key in seen: continue
    seen.add(key)
    aliases.append({'major': major, 'minor': minor, 'category': code})
# Any major: a minor name that means one thing wherever it appears also matches under a major nobody has seen it with
# (ward and LSOA files, a renamed major group).
for minor_key, codes in sorted(minor_codes.items()):
    if len(codes) == 1:
        minor = next(mi for ma, mi in names if norm(mi) == minor_key)
        aliases.append({'major': '*', 'minor': minor, 'category': next(iter(codes))})

RESIDENTIAL = ['residential-burglary', 'residential-burglary-of-a-home', 'residential-burglary-of-an-unconnected-building']
measures = {
 'residential-burglary': RESIDENTIAL,
 'theft-from-motor-vehicle': ['theft-from-motor-vehicle'],
 'theft-taking-of-motor-vehicle': ['theft-taking-of-motor-vehicle'],
 'personal-robbery': ['personal-robbery'],
 'business-robbery': ['business-robbery'],
 'robbery': ['personal-robbery', 'business-robbery'],
 'serious-acquisitive-crime': RESIDENTIAL + ['theft-from-motor-vehicle', 'theft-taking-of-motor-vehicle', 'personal-robbery', 'business-robbery'],
 'drugs-offences': sorted(c for c, v in CANON.items() if v[1] == 'Drugs'),
 'most-serious-violence': ['+homicide', 'wounding-gbh', 'grievous-bodily-harm'],
 # Releases before 2023 count death or serious injury by unlawful driving in "Violence with Injury"; later ones list it apart.
 'violence-with-injury': ['homicide', 'wounding-gbh', 'grievous-bodily-harm', 'assault-with-injury', 'violence-with-injury', 'death-or-serious-injury-by-unlawful-driving'],
 'total-notifiable-offences': ['*'],
}
taxonomy_changes = [
 {'from': '2017-04', 'title': 'Burglary redefined: residential and business and community',
  'explanation': 'From April 2017 the Home Office Counting Rules replaced burglary in a dwelling and in other buildings with residential burglary (which now includes sheds and garages in the grounds of a home) and business and community burglary. Residential and business burglary together are unchanged.',
  'categories': RESIDENTIAL + ['business-burglary']},
 {'from': '2023-04', 'title': 'Residential burglary split: of a home, and of an unconnected building',
  'explanation': 'From April 2023 the MPS records residential burglary as "of a home" and "of an unconnected building"; together they are the residential burglary of earlier months.',
  'categories': RESIDENTIAL},
]
used = {c for a in aliases for c in [a['category']]}
for mc, cs in measures.items():
    for c in cs: assert c == '*' or c.lstrip('+') in CANON, (mc, c)
for t in taxonomy_changes:
    for c in t['categories']: assert c in CANON, c
out = {'_about': 'Canonical crime categories, every name the MPS has printed for them in borough, ward and LSOA extracts since 2008 (aliases: major + minor name as printed; major "*" matches the minor under any major), the categories each crime-extract measure adds up, and the taxonomy changes a comparison may cross. "*" as a measure\'s category means every category, including ones analysts add later (total notifiable offences also counts names nobody has mapped). "+code" means the category is counted, but a release whose counts have none of the measure\'s other categories cannot report the measure (most serious violence from homicide alone would understate it). A taxonomy change names the categories whose total is continuous across it: a measure counting all of them, or none, stays like-for-like. Generated by scripts/make-category-seed.py from the real extracts; reviewed by hand.',
       'categories': [{'code': c, 'name': n, 'majorGroup': g} for c, (n, g) in sorted(CANON.items(), key=lambda x: (x[1][1], x[0]))],
       'aliases': aliases, 'measures': measures, 'taxonomyChanges': taxonomy_changes}
json.dump(out, open(sys.argv[1], 'w'), indent=2, ensure_ascii=False)
print(len(CANON), 'categories,', len(aliases), 'aliases,', len(names), 'names read;', len(CANON) - len(used), 'categories with no alias:', sorted(set(CANON) - used))
