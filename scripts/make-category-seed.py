#!/usr/bin/env python3
# Regenerates src/KcCsp.Data/Seed/categories.json from the category names in the real MPS extracts (../shared/data/mps)
# and the names in domain.md. Usage: scripts/make-category-seed.py src/KcCsp.Data/Seed/categories.json
import csv, json, re, sys
def slug(s): return re.sub(r'[^a-z0-9]+','-',s.lower()).strip('-')
import os
DATA=os.environ.get('KCCSP_SHARED_DATA','../shared/data')
files=[DATA+'/mps/mps-borough-level-crime-historic-2008-2016.csv',DATA+'/mps/mps-borough-level-crime-2010-04-to-2022-02.csv']
names=[]
for f in files:
    r=csv.reader(open(f,encoding='utf-8-sig',newline='')); h=next(r)
    ma,mi=(1,2) if h[0]=='Borough' else (0,1)
    for row in r:
        k=(row[ma],row[mi])
        if k not in names: names.append(k)
# domain.md names (their major group as the releases that use them print it)
names += [("Burglary","Burglary - Residential"),("Burglary","Burglary - Business and Community"),
          ("BURGLARY","RES BURGLARY OF A HOME"),("BURGLARY","RES BURGLARY OF UNCONNECTED BUILDING"),
          ("BURGLARY","BURGLARY BUSINESS AND COMMUNITY"),
          ("Theft and Handling","Theft From M/V"),("Theft and Handling","Theft/Taking of M/V"),
          ("VEHICLE OFFENCES","THEFT FROM A VEHICLE"),("VEHICLE OFFENCES","THEFT OR UNAUTH TAKING OF A MOTOR VEH"),
          ("Robbery","Robbery / Personal Property"),("Robbery","Robbery / Business Property"),
          ("ROBBERY","ROBBERY OF PERSONAL PROPERTY"),("ROBBERY","ROBBERY OF BUSINESS PROPERTY"),
          ("DRUG OFFENCES","POSSESSION OF DRUGS"),("DRUG OFFENCES","DRUG TRAFFICKING")]
special = {
 'Burglary in a Dwelling':'residential-burglary','Domestic Burglary':'residential-burglary','Burglary - Residential':'residential-burglary',
 'RES BURGLARY OF A HOME':'residential-burglary','RES BURGLARY OF UNCONNECTED BUILDING':'residential-burglary',
 'Burglary in Other Buildings':'business-burglary','Burglary Business and Community':'business-burglary','Burglary - Business and Community':'business-burglary','BURGLARY BUSINESS AND COMMUNITY':'business-burglary',
 'Theft From Motor Vehicle':'theft-from-motor-vehicle','Theft From M/V':'theft-from-motor-vehicle','Theft from a Motor Vehicle':'theft-from-motor-vehicle','THEFT FROM A VEHICLE':'theft-from-motor-vehicle',
 'Theft/Taking Of Motor Vehicle':'theft-taking-of-motor-vehicle','Theft/Taking of M/V':'theft-taking-of-motor-vehicle','Theft or Taking of a Motor Vehicle':'theft-taking-of-motor-vehicle','THEFT OR UNAUTH TAKING OF A MOTOR VEH':'theft-taking-of-motor-vehicle',
 'Personal Property':'personal-robbery','Robbery of Personal Property':'personal-robbery','Robbery / Personal Property':'personal-robbery','ROBBERY OF PERSONAL PROPERTY':'personal-robbery',
 'Business Property':'business-robbery','Robbery of Business Property':'business-robbery','Robbery / Business Property':'business-robbery','ROBBERY OF BUSINESS PROPERTY':'business-robbery',
 'Drug Trafficking':'drug-trafficking','DRUG TRAFFICKING':'drug-trafficking','Possession Of Drugs':'possession-of-drugs','Possession of Drugs':'possession-of-drugs','POSSESSION OF DRUGS':'possession-of-drugs','Other Drugs':'other-drugs',
 'Murder':'homicide','Homicide':'homicide','Wounding/GBH':'wounding-gbh','Grievous Bodily Harm':'grievous-bodily-harm',
 'Theft From Shops':'shoplifting','Shoplifting':'shoplifting','Other Theft Person':'theft-from-person','Theft from Person':'theft-from-person',
 'Theft/Taking of Pedal Cycle':'bicycle-theft','Bicycle Theft':'bicycle-theft',
 'Motor Vehicle Interference & Tampering':'interfering-with-a-motor-vehicle','Interfering with a Motor Vehicle':'interfering-with-a-motor-vehicle',
 'Handling Stolen Goods':'handling-stolen-goods','Other Theft':'other-theft','Rape':'rape','Other Sexual':'other-sexual-offences','Other Sexual Offences':'other-sexual-offences',
 'Going Equipped':'going-equipped-for-stealing','Going Equipped for Stealing':'going-equipped-for-stealing',
 'Other Notifiable':'other-notifiable-offences','Other Notifiable Offences':'other-notifiable-offences',
 'Counted per Victim':'fraud-forgery-counted-per-victim','Other Fraud & Forgery':'other-fraud-and-forgery',
}
group_of = {'Drugs':'Drugs','Drug Offences':'Drugs','DRUG OFFENCES':'Drugs','BURGLARY':'Burglary','Theft and Handling':'Theft','VEHICLE OFFENCES':'Vehicle Offences','ROBBERY':'Robbery',
            'Fraud or Forgery':'Fraud and Forgery','Historical Fraud and Forgery':'Fraud and Forgery','Other Notifiable Offences':'Miscellaneous Crimes Against Society','Criminal Damage':'Arson and Criminal Damage'}
canon_names = {'residential-burglary':'Residential burglary','business-burglary':'Burglary of business and community premises','theft-from-motor-vehicle':'Theft from motor vehicle',
 'theft-taking-of-motor-vehicle':'Theft/taking of motor vehicle','personal-robbery':'Personal robbery','business-robbery':'Business robbery','homicide':'Homicide (murder)',
 'wounding-gbh':'Wounding/GBH','grievous-bodily-harm':'Grievous bodily harm','possession-of-drugs':'Possession of drugs','other-drugs':'Other drugs offences'}
canon_group = {'theft-from-motor-vehicle':'Vehicle Offences','theft-taking-of-motor-vehicle':'Vehicle Offences','interfering-with-a-motor-vehicle':'Vehicle Offences','handling-stolen-goods':'Miscellaneous Crimes Against Society','going-equipped-for-stealing':'Miscellaneous Crimes Against Society','other-notifiable-offences':'Miscellaneous Crimes Against Society'}
cats={}; aliases=[]
for major, minor in names:
    code = special.get(minor)
    if code is None:
        code = slug(minor)
        if code == 'criminal-damage' and major=='Arson and Criminal Damage': pass
    grp = canon_group.get(code) or group_of.get(major, major)
    if code not in cats:
        cats[code]={'code':code,'name':canon_names.get(code, minor[0]+minor[1:].lower() if minor.isupper() else minor),'majorGroup':grp}
    aliases.append({'major':major,'minor':minor,'category':code})
measures = {
 'residential-burglary':['residential-burglary'],
 'theft-from-motor-vehicle':['theft-from-motor-vehicle'],
 'theft-taking-of-motor-vehicle':['theft-taking-of-motor-vehicle'],
 'personal-robbery':['personal-robbery'],
 'business-robbery':['business-robbery'],
 'robbery':['personal-robbery','business-robbery'],
 'serious-acquisitive-crime':['residential-burglary','theft-from-motor-vehicle','theft-taking-of-motor-vehicle','personal-robbery','business-robbery'],
 'drugs-offences':sorted(c for c,v in cats.items() if v['majorGroup']=='Drugs'),
 'most-serious-violence':['+homicide','wounding-gbh','grievous-bodily-harm'],
 'violence-with-injury':['homicide','wounding-gbh','grievous-bodily-harm','assault-with-injury','violence-with-injury'],
 'total-notifiable-offences':['*'],
}
for m,cs in measures.items():
    for c in cs: assert c=='*' or c.lstrip('+') in cats, (m,c)
out={'_about':'Canonical crime categories, the names MPS extracts use for them (aliases: major + minor name as printed), and the categories each crime-extract measure adds up. "*" means every category, including ones analysts add later. "+code" means the category is counted, but a release whose counts have none of the measure\'s other categories cannot report the measure (most serious violence from homicide alone would understate it). Generated from the category names in the two real MPS extracts and docs/domain.md, then reviewed by hand.',
     'categories':sorted(cats.values(), key=lambda c:(c['majorGroup'],c['code'])),'aliases':aliases,'measures':measures}
json.dump(out, open(sys.argv[1],'w'), indent=2, ensure_ascii=False)
print(len(cats), len(aliases))
