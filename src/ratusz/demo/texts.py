"""Polish text templates of the demo data: posts about local life, residents' comments, the city's answers.

Every template is a `str.format` pattern over the keys of `fill_values` (see generator.py). Templates avoid
inflecting the unit's name (Polish cases): the name appears in the nominative or after a noun in the genitive
("Gmina Kobierzyce", "Rada Gminy Kobierzyce"). The rude comments are mild on purpose (no slurs): they exist so
that the moderation queue and the hate model have something realistic to find.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MONTHS_GENITIVE = [
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
]  # fmt: skip

STREETS = [
    "Mickiewicza", "Kościuszki", "Słowackiego", "Sienkiewicza", "Polnej", "Lipowej", "Szkolnej", "Ogrodowej",
    "Leśnej", "Kolejowej", "Kwiatowej", "Długiej", "Krótkiej", "Parkowej", "Słonecznej", "Wiejskiej",
    "Piłsudskiego", "Konopnickiej", "Reymonta", "Żeromskiego", "Jana Pawła II", "3 Maja", "Wojska Polskiego",
    "Kopernika", "Chopina", "Prusa", "Batorego", "Moniuszki", "Rzemieślniczej", "Przemysłowej", "Zielonej",
]  # fmt: skip

PLACES = [
    "na Rynku", "w parku miejskim", "w hali sportowej", "przed urzędem", "w bibliotece", "na stadionie",
    "w ośrodku kultury", "nad zalewem", "na placu zabaw przy szkole", "w sali widowiskowej", "na boisku Orlik",
    "w amfiteatrze", "na placu targowym", "w świetlicy wiejskiej", "przy kościele parafialnym",
]  # fmt: skip

SCHOOLS = [
    "Szkoła Podstawowa nr 1", "Szkoła Podstawowa nr 2", "Szkoła Podstawowa nr 3", "Zespół Szkół",
    "Przedszkole Samorządowe", "Liceum Ogólnokształcące", "Zespół Szkolno-Przedszkolny", "Technikum",
]  # fmt: skip

# Endings added to any post: generic on purpose (a topic's own emoji live in its templates).
EMOJI = ["", "", "", " 📢", " 👉", " ✅", " 🙂"]
HASHTAGS = ["", "", "", "", " #samorząd", " #mieszkańcy", " #informacja", " #razem"]


# A template may start with "@months|" (e.g. "@12|…"): it is used only in those months (Warsaw calendar).
SUMMER = "@5,6,7,8,9|"
HOT = "@6,7,8|"
WINTER = "@11,12,1,2,3|"


def split_months(template: str) -> tuple[frozenset[int] | None, str]:
    """Return (the months a template is limited to or None for all months, the template text)."""
    if template.startswith("@"):
        head, _, text = template.partition("|")
        return frozenset(int(m) for m in head[1:].split(",")), text
    return None, template


@dataclass(frozen=True)
class Topic:
    """A subject the unit posts about: its templates and how residents react to it.

    `reactions` are the relative shares of like, love, care, haha, wow, sad, angry; `comment_rate` and
    `share_rate` scale comments and shares; `formats` boosts some post formats.
    """

    key: str
    weight: float
    posts: list[str]
    questions: list[str]
    complaints: list[str]
    praise: list[str]
    reactions: tuple[float, float, float, float, float, float, float] = (0.80, 0.11, 0.02, 0.02, 0.02, 0.015, 0.015)
    comment_rate: float = 1.0
    share_rate: float = 1.0
    formats: dict[str, float] = field(default_factory=dict)


TOPICS: list[Topic] = [
    Topic(
        key="drogi",
        weight=1.4,
        posts=[
            "🚧 Utrudnienia w ruchu! Od {dzien} rozpoczyna się remont nawierzchni ulicy {ulica}. Prace potrwają "
            "około {tygodnie} tygodni. Prosimy o ostrożność i korzystanie z objazdów.",
            "Zakończyliśmy przebudowę ulicy {ulica} ✅ Powstała nowa nawierzchnia, chodniki i oświetlenie LED. "
            "Wartość inwestycji to {kwota}, z czego część pochodzi z Rządowego Funduszu Rozwoju Dróg.",
            "Informujemy, że w związku z realizacją zadania inwestycyjnego pn. „Przebudowa skrzyżowania ulic {ulica} "
            "i {ulica2}” w dniach od {dzien} do odwołania obowiązywać będzie zmiana organizacji ruchu, "
            "o której szczegółowo informujemy na stronie internetowej urzędu.",
            "Nowa ścieżka rowerowa wzdłuż ulicy {ulica} jest już gotowa 🚲 To ponad {liczba} km bezpiecznej trasy.",
            WINTER + "Trwa zimowe utrzymanie dróg. Pługopiaskarki pracują od wczesnych godzin porannych. Priorytetem są "
            "drogi główne, przystanki i dojazdy do szkół.",
            "Od poniedziałku zamknięty będzie przejazd przez ulicę {ulica}. Objazd poprowadzono ulicą {ulica2}.",
        ],
        questions=[
            "Kiedy w końcu skończy się remont na {ulica}?",
            "Czy ulica {ulica2} też będzie remontowana w tym roku?",
            "Kiedy ktoś załata dziury na {ulica2}?",
            "Czy objazd będzie oznakowany dla ciężarówek?",
            "A co z chodnikiem przy {ulica}? Kiedy będzie zrobiony?",
        ],
        complaints=[
            "Znowu rozkopane całe miasto, nie da się dojechać do pracy.",
            "Remont w środku sezonu, kto to planował?",
            "Na {ulica2} dziura na dziurze, a wy się chwalicie jedną ulicą.",
            "Objazd źle oznakowany, pół godziny stałem w korku.",
        ],
        praise=[
            "Wreszcie! Czekaliśmy na to latami 👏",
            "Pięknie wyszło, dziękujemy!",
            "Super, że jest ścieżka rowerowa, dzieci mogą bezpiecznie jeździć do szkoły.",
        ],
        reactions=(0.72, 0.08, 0.01, 0.02, 0.04, 0.02, 0.11),
        comment_rate=1.8,
    ),
    Topic(
        key="wydarzenia",
        weight=1.6,
        posts=[
            "@4,5,6,7,8,9|🎉 Zapraszamy na festyn rodzinny {miejsce}! {dzien} od godz. {godzina} czekają na Was koncerty, "
            "animacje dla dzieci i strefa gastronomiczna. Wstęp wolny!",
            "@5,6,7,8,9|Już w ten weekend koncert plenerowy {miejsce}. Start o {godzina}. Do zobaczenia!",
            "@12|Jarmark świąteczny {miejsce} otwarty codziennie do {dzien}. Zapraszamy po prezenty i rękodzieło 🎄",
            "@5,6,7,8,9|Dziękujemy wszystkim za wspólną zabawę podczas wczorajszego pikniku! Zobaczcie, jak było 📸",
            "Serdecznie zapraszamy na spotkanie autorskie {miejsce}, {dzien}, godz. {godzina}.",
            "Trwają zapisy na bieg uliczny, który odbędzie się {dzien}. Na uczestników czeka {liczba} pakietów startowych.",
        ],
        questions=[
            "Czy będzie parking dla przyjezdnych?",
            "O której zaczyna się koncert gwiazdy wieczoru?",
            "Czy można wejść z psem?",
            "Kiedy będą zdjęcia z wydarzenia?",
            "Czy w razie deszczu impreza się odbędzie?",
        ],
        complaints=[
            "Muzyka do północy, a ludzie rano muszą wstać do pracy.",
            "Znowu impreza, a na remont szkoły pieniędzy brak.",
            "Ceny w strefie gastronomicznej kosmiczne.",
        ],
        praise=[
            "Było super, dziękujemy organizatorom! 😍",
            "Świetna atmosfera, oby więcej takich wydarzeń.",
            "Dzieciaki zachwycone, dziękujemy!",
            "Brawo za organizację 👏",
        ],
        reactions=(0.70, 0.22, 0.02, 0.02, 0.02, 0.01, 0.01),
        share_rate=1.6,
        formats={"event": 4.0, "photo": 1.3},
    ),
    Topic(
        key="budzet",
        weight=0.9,
        posts=[
            "Rusza kolejna edycja budżetu obywatelskiego! Do podziału jest {kwota}. Projekty można zgłaszać do {dzien}.",
            "Rada przyjęła budżet na przyszły rok. Na inwestycje przeznaczymy {kwota}, w tym na drogi, szkoły i "
            "gospodarkę wodno-ściekową.",
            "Pozyskaliśmy {kwota} dofinansowania ze środków Unii Europejskiej na termomodernizację budynków "
            "użyteczności publicznej 💶",
            "Wyniki głosowania w budżecie obywatelskim są już znane! Zwyciężyło {liczba} projektów. "
            "Dziękujemy za oddane głosy!",
            "Zgodnie z uchwałą w sprawie budżetu na bieżący rok informujemy, że wydatki majątkowe stanowią "
            "znaczącą część planu finansowego, a ich realizacja uzależniona jest od rozstrzygnięcia postępowań "
            "przetargowych oraz pozyskania środków zewnętrznych.",
        ],
        questions=[
            "Czy mogę zgłosić projekt, jeśli nie jestem zameldowany?",
            "Kiedy zostaną zrealizowane projekty z zeszłego roku?",
            "Ile głosów można oddać?",
            "Gdzie można sprawdzić listę projektów?",
        ],
        complaints=[
            "Znowu wygrały projekty z jednego osiedla, reszta się nie liczy.",
            "Zadłużenie rośnie, a wy wydajecie na głupoty.",
            "Projekt sprzed dwóch lat dalej niezrealizowany.",
        ],
        praise=[
            "Brawo, świetne wieści!",
            "Dobrze, że pieniądze idą na szkoły.",
            "Gratulacje dla wszystkich zwycięskich projektów!",
        ],
        reactions=(0.76, 0.10, 0.01, 0.02, 0.04, 0.01, 0.06),
        comment_rate=1.5,
        formats={"link": 2.0},
    ),
    Topic(
        key="konsultacje",
        weight=0.7,
        posts=[
            "Zapraszamy do udziału w konsultacjach społecznych dotyczących zagospodarowania {miejsce}. "
            "Ankieta jest dostępna do {dzien}.",
            "Spotkanie konsultacyjne w sprawie planu miejscowego odbędzie się {dzien} o godz. {godzina} "
            "w sali sesyjnej urzędu. Państwa głos ma znaczenie!",
            "Podsumowanie konsultacji: wpłynęło {liczba} uwag. Raport z konsultacji publikujemy na stronie urzędu.",
            "Chcesz mieć wpływ na to, jak będzie wyglądać Twoja okolica? Weź udział w konsultacjach 👉 link w komentarzu.",
        ],
        questions=[
            "Czy ankietę można wypełnić papierowo?",
            "Czy uwagi mieszkańców będą brane pod uwagę, czy to tylko formalność?",
            "Gdzie można znaleźć projekt planu?",
            "Do kiedy można składać uwagi?",
        ],
        complaints=[
            "Konsultacje dla picu, i tak zrobicie po swojemu.",
            "Spotkanie w środku dnia, kiedy wszyscy są w pracy.",
        ],
        praise=[
            "Dobrze, że pytacie mieszkańców.",
            "Wypełnione, mam nadzieję, że pomoże.",
        ],
        reactions=(0.80, 0.08, 0.01, 0.01, 0.03, 0.01, 0.06),
        comment_rate=1.6,
        formats={"link": 2.0},
    ),
    Topic(
        key="odpady",
        weight=1.0,
        posts=[
            "♻️ Przypominamy o harmonogramie odbioru odpadów. Odpady wielkogabarytowe odbierzemy {dzien}. "
            "Prosimy wystawić je przed posesję do godz. 6:00.",
            "PSZOK będzie nieczynny {dzien}. Przepraszamy za utrudnienia.",
            "Od przyszłego miesiąca zmienia się stawka opłaty za gospodarowanie odpadami komunalnymi. "
            "Szczegóły w komunikacie na stronie urzędu.",
            "Segregujmy odpady! Szkło do zielonego, papier do niebieskiego, metale i tworzywa do żółtego pojemnika.",
            "Zbiórka elektroodpadów {miejsce}, {dzien} w godz. 9:00–13:00. Za oddany sprzęt sadzonki drzew 🌳",
        ],
        questions=[
            "Dlaczego śmieci z ulicy {ulica} nie zostały odebrane?",
            "Czy popiół można wyrzucać do bio?",
            "Kiedy będzie nowy harmonogram?",
            "Czy PSZOK przyjmuje opony?",
        ],
        complaints=[
            "Od tygodnia nikt nie odebrał śmieci z {ulica}!",
            "Opłata znowu w górę, a usługa coraz gorsza.",
            "Pojemniki stoją przepełnione, śmierdzi na całe osiedle.",
        ],
        praise=[
            "Dzięki za przypomnienie!",
            "Świetna akcja z sadzonkami 🌱",
        ],
        reactions=(0.82, 0.04, 0.01, 0.02, 0.02, 0.01, 0.08),
        comment_rate=1.4,
    ),
    Topic(
        key="szkoly",
        weight=0.9,
        posts=[
            "@2,3|Rekrutacja do przedszkoli rusza {dzien}. Wnioski można składać elektronicznie do {dzien2}.",
            "Gratulujemy uczniom {szkola}, którzy zajęli pierwsze miejsce w konkursie wojewódzkim! 🏆",
            "Zakończyliśmy remont sali gimnastycznej w {szkola_miejscownik}. Inwestycja kosztowała {kwota}.",
            "@10|Dzień Edukacji Narodowej — dziękujemy wszystkim nauczycielom i pracownikom szkół za ich pracę 💐",
            "@8,9|Dowóz uczniów w nowym roku szkolnym: rozkład jazdy autobusów szkolnych jest dostępny na stronie urzędu.",
        ],
        questions=[
            "Czy będzie dodatkowy oddział w przedszkolu?",
            "Kiedy będą wyniki rekrutacji?",
            "Czy autobus szkolny będzie jeździł też przez {ulica}?",
        ],
        complaints=[
            "W przedszkolu brakuje miejsc, a wy budujecie fontanny.",
            "Sala gimnastyczna przecieka od lat.",
        ],
        praise=[
            "Gratulacje dla uczniów i nauczycieli! 👏",
            "Brawo, duma naszej szkoły!",
            "Piękna sala, dzieci mają wreszcie warunki.",
        ],
        reactions=(0.68, 0.24, 0.03, 0.01, 0.02, 0.01, 0.01),
    ),
    Topic(
        key="pogoda",
        weight=0.7,
        posts=[
            SUMMER + "⚠️ Ostrzeżenie IMGW: burze z gradem. Obowiązuje od {godzina} do późnych godzin wieczornych. "
            "Zabezpieczcie rzeczy na balkonach i unikajcie przebywania pod drzewami.",
            "❗ Alert RCB: silny wiatr, w porywach do 90 km/h. Prosimy o ostrożność.",
            "@3,4,5,6,7,8,9,10|Intensywne opady deszczu — możliwe podtopienia. Worki z piaskiem wydajemy {miejsce}.",
            WINTER + "Intensywne opady śniegu. Służby pracują od nocy, prosimy o cierpliwość i ostrożność na drogach.",
            HOT + "Upał! Temperatura przekroczy 30°C. Pamiętajcie o piciu wody i o osobach starszych. "
            "Kurtyny wodne działają {miejsce}.",
            WINTER + "Uwaga, zła jakość powietrza. Ogranicz aktywność na zewnątrz, a jeśli możesz — nie pal w piecu odpadami.",
            WINTER + "Przymrozki w nocy, temperatura spadnie do −{liczba}°C. Pamiętajmy o osobach w kryzysie bezdomności.",
        ],
        questions=[
            "Czy szkoły jutro będą otwarte?",
            "Gdzie zgłosić powalone drzewo?",
            "Czy jest punkt, gdzie można dostać worki z piaskiem?",
        ],
        complaints=[
            "Znowu prąd wyłączony i nikt nic nie wie.",
            "Drzewo leży na ulicy od rana i nikt nie przyjechał.",
        ],
        praise=[
            "Dziękuję za ostrzeżenie!",
            "Dobrze, że informujecie.",
        ],
        reactions=(0.70, 0.02, 0.08, 0.01, 0.08, 0.10, 0.01),
        share_rate=2.5,
        formats={"text": 2.0, "photo": 1.0},
    ),
    Topic(
        key="komunikacja",
        weight=0.6,
        posts=[
            "🚌 Od {dzien} zmiany w rozkładzie jazdy linii nr {liczba}. Szczegóły na przystankach i na stronie przewoźnika.",
            "Nowe autobusy elektryczne wyjechały na trasy! To efekt projektu o wartości {kwota}.",
            "@10,11|W dniu Wszystkich Świętych uruchamiamy bezpłatne linie na cmentarz komunalny.",
        ],
        questions=[
            "Czy autobus będzie jeździł też w weekendy?",
            "Kiedy wróci kurs o 6:15?",
            "Dlaczego zlikwidowano przystanek przy {ulica}?",
        ],
        complaints=[
            "Autobus znowu się spóźnił 20 minut.",
            "Ostatni kurs o 19:00 to żart, jak mam wrócić z pracy?",
        ],
        praise=[
            "Nowe autobusy super, cichutkie.",
            "Dziękujemy za darmowe linie!",
        ],
        reactions=(0.78, 0.08, 0.01, 0.02, 0.03, 0.01, 0.07),
        comment_rate=1.4,
    ),
    Topic(
        key="pamiec",
        weight=0.4,
        posts=[
            "Z ogromnym smutkiem przyjęliśmy wiadomość o śmierci wieloletniego radnego i społecznika. "
            "Rodzinie i bliskim składamy wyrazy głębokiego współczucia.",
            "@9|W rocznicę wybuchu II wojny światowej oddaliśmy hołd ofiarom. Pamiętamy. 🇵🇱",
            "@3|Dziś obchodzimy Narodowy Dzień Pamięci Żołnierzy Wyklętych. Zapraszamy na uroczystości {miejsce}.",
            "@11|Narodowe Święto Niepodległości — zapraszamy na uroczystości {miejsce} o godz. {godzina}. 🇵🇱",
        ],
        questions=["O której zaczyna się msza w intencji Ojczyzny?"],
        complaints=["Szkoda, że tak mało ludzi przychodzi na uroczystości."],
        praise=["Pamiętamy. [*]", "Wyrazy współczucia dla rodziny.", "Piękna uroczystość."],
        reactions=(0.55, 0.10, 0.15, 0.0, 0.01, 0.18, 0.01),
        comment_rate=0.7,
    ),
    Topic(
        key="zielen",
        weight=0.7,
        posts=[
            "@3,4,5,9,10,11|🌳 Posadziliśmy {liczba} nowych drzew wzdłuż ulicy {ulica}. Miasto coraz bardziej zielone!",
            "Park {miejsce_nazwa} po rewitalizacji jest już otwarty. Są nowe alejki, ławki i plac zabaw.",
            "@3,4,5|Wiosenne porządki: zapraszamy do wspólnego sprzątania {miejsce} w sobotę od 10:00. Worki i rękawice zapewniamy.",
            "@5,6,7,8|Koszenie łąk kwietnych ograniczamy do minimum — to schronienie dla owadów zapylających 🐝",
        ],
        questions=["Czy w parku będzie toaleta?", "Kiedy zostanie przycięte drzewo przy {ulica}?"],
        complaints=[
            "Wycięliście zdrowe drzewa, a teraz sadzicie patyki.",
            "Trawa nieskoszona, kleszcze wszędzie.",
        ],
        praise=["Pięknie się zrobiło 💚", "Brawo za łąki kwietne!", "W końcu jest gdzie pospacerować z dziećmi."],
        reactions=(0.66, 0.25, 0.02, 0.01, 0.04, 0.01, 0.01),
    ),
    Topic(
        key="sesja",
        weight=0.5,
        posts=[
            "Zapraszamy na sesję Rady, która odbędzie się {dzien} o godz. {godzina}. Transmisja na żywo na naszym kanale.",
            "Podczas ostatniej sesji radni podjęli {liczba} uchwał, m.in. w sprawie programu współpracy "
            "z organizacjami pozarządowymi.",
            "Nagranie z obrad sesji jest dostępne w Biuletynie Informacji Publicznej.",
        ],
        questions=["Czy porządek obrad jest już dostępny?", "Kiedy będzie głosowana uchwała w sprawie {ulica}?"],
        complaints=["Radni znowu przegłosowali podwyżki dla siebie.", "Sesja w godzinach pracy, nikt nie może przyjść."],
        praise=["Dziękuję za transmisję."],
        reactions=(0.85, 0.03, 0.01, 0.02, 0.02, 0.01, 0.06),
        comment_rate=1.2,
        formats={"video": 2.0, "link": 1.5},
    ),
    Topic(
        key="spolecznosc",
        weight=1.0,
        posts=[
            "Pani Helena świętuje dziś 100. urodziny! 🎂 Wszystkiego najlepszego, dużo zdrowia i radości!",
            "Nasi seniorzy zapraszają na zajęcia w klubie seniora — gimnastyka, warsztaty i wspólne wyjścia.",
            "Bezpłatne badania mammograficzne {miejsce} {dzien}. Zapisy pod numerem infolinii.",
            "Punkt nieodpłatnej pomocy prawnej działa w urzędzie od poniedziałku do piątku.",
            "Nasza drużyna wygrała turniej piłkarski! Gratulujemy zawodnikom i trenerom ⚽",
            "Zgubiony pies w okolicy ulicy {ulica} 🐶 Jeśli go widzieliście, dajcie znać w komentarzu.",
        ],
        questions=["Czy trzeba mieć skierowanie na badania?", "Gdzie są zapisy do klubu seniora?"],
        complaints=["Klub seniora czynny tylko dwa dni w tygodniu, to za mało."],
        praise=[
            "Sto lat! 🎉",
            "Gratulacje dla chłopaków! ⚽",
            "Wspaniała inicjatywa.",
            "Dziękujemy, że pamiętacie o seniorach ❤️",
        ],
        reactions=(0.60, 0.28, 0.05, 0.04, 0.02, 0.005, 0.005),
        share_rate=1.3,
    ),
    Topic(
        key="awaria",
        weight=0.4,
        posts=[
            "❗ Awaria wodociągu przy ulicy {ulica}. Mieszkańcy ulic {ulica} i {ulica2} mogą mieć przerwy w dostawie "
            "wody. Beczkowóz stoi przy sklepie.",
            "Planowane wyłączenie prądu {dzien} w godz. 8:00–15:00 w rejonie ulic {ulica} i {ulica2}.",
            "Komunikat: woda z wodociągu jest przydatna do spożycia wyłącznie po przegotowaniu.",
        ],
        questions=["Kiedy wróci woda?", "Czy beczkowóz podjedzie też na {ulica2}?", "Czy wodę można pić po przegotowaniu?"],
        complaints=[
            "Trzeci raz w tym miesiącu bez wody! Skandal!",
            "Mam małe dziecko i od rana nie mam wody, nikt nic nie mówi.",
            "Płacimy coraz więcej, a rury z PRL-u.",
        ],
        praise=["Dziękujemy za szybką informację."],
        reactions=(0.58, 0.02, 0.04, 0.01, 0.06, 0.12, 0.17),
        comment_rate=2.4,
        share_rate=1.8,
        formats={"text": 2.0},
    ),
    Topic(
        key="praca",
        weight=0.4,
        posts=[
            "Urząd zatrudni! Poszukujemy osoby na stanowisko podinspektora ds. inwestycji. Termin składania "
            "dokumentów: {dzien}.",
            "Nabór na stanowisko opiekuna dziennego. Ogłoszenie w BIP.",
        ],
        questions=["Jakie są widełki płacowe?", "Czy można składać dokumenty mailem?"],
        complaints=["Za takie pieniądze nikt nie przyjdzie.", "I tak wiadomo, kto dostanie tę pracę."],
        praise=["Udostępniam dalej."],
        reactions=(0.88, 0.04, 0.01, 0.02, 0.02, 0.01, 0.02),
        share_rate=1.5,
        formats={"link": 2.0},
    ),
]


# Heads' own profiles (wójt, burmistrz, prezydent, starosta, marszałek) also post in the first person plural.
HEAD_TOPIC = Topic(
    key="wlodarz",
    weight=0.0,  # only heads' profiles post about this (see rows.ROLE_TOPICS)
    posts=[
        "Dziś spotkanie z mieszkańcami ulicy {ulica}. Rozmawialiśmy o bezpieczeństwie i nowym oświetleniu. "
        "Dziękuję za konkretne uwagi!",
        "Umowa na budowę nowego żłobka podpisana! Wartość inwestycji to {kwota}. To ważny dzień dla młodych rodzin.",
        "Dziś dyżur w urzędzie — zapraszam od {godzina}. Każdy może przyjść z pytaniem lub pomysłem.",
        "Gratuluję naszym sportowcom znakomitych wyników! Duma na całą okolicę 💪",
        "Dziękuję wszystkim, którzy pomagali podczas ostatniej nawałnicy. Razem damy radę.",
        "Z radnymi odwiedziliśmy budowę przy ulicy {ulica}. Prace idą zgodnie z harmonogramem.",
    ],
    questions=["Kiedy będzie spotkanie w naszym sołectwie?", "Czy można umówić się na rozmowę?"],
    complaints=["Obiecanki cacanki, a na {ulica2} dalej błoto.", "Tylko zdjęcia i zdjęcia, a konkretów brak."],
    praise=["Dobra robota!", "Brawo, tak trzymać!", "Dziękujemy za zaangażowanie 👏"],
    reactions=(0.70, 0.22, 0.03, 0.01, 0.02, 0.01, 0.01),
    comment_rate=1.3,
)
TOPICS.append(HEAD_TOPIC)

TOPIC_WEIGHTS = [t.weight for t in TOPICS]

NEUTRAL_COMMENTS = [
    "Udostępniam.",
    "@Ania zobacz",
    "Ciekawe.",
    "Ktoś się wybiera?",
    "👍",
    "Dzięki za info.",
    "Będę!",
    "A u nas jak zwykle…",
    "Warto wiedzieć.",
    "Czyli jednak.",
]

RESIDENT_REPLIES = [
    "Zgadzam się w 100%.",
    "Dokładnie tak.",
    "Nie przesadzaj, jest lepiej niż było.",
    "Też mnie to interesuje.",
    "Podpisuję się pod tym.",
    "Było o tym na stronie urzędu.",
    "Dzwoniłem do urzędu, mówią, że w przyszłym tygodniu.",
    "Nie ma co narzekać, trzeba się cieszyć, że coś się dzieje.",
    "Ma Pan rację.",
    "To prawda, u nas to samo.",
]

SUGGESTIONS = [
    "Przydałby się też przejście dla pieszych przy {ulica}.",
    "Może warto zrobić to samo na {ulica2}?",
    "Proponuję dodać więcej ławek i koszy.",
    "Fajnie by było, gdyby informacje były też w formie SMS.",
]

# Mild, realistic rudeness for the moderation queue: insults of the office, no slurs, no threats.
RUDE_COMMENTS = [
    "Banda nieudaczników w tym urzędzie.",
    "Darmozjady, ogarnijcie się wreszcie!",
    "Idioci, kto to w ogóle wymyślił?",
    "Złodzieje! Za nasze pieniądze!",
    "Wstydźcie się, żenada i tyle.",
    "Cała ta wasza władza to jeden wielki cyrk.",
    "Pajace z ratusza znowu się popisują.",
    "Nikt was tu nie chce, wynocha przy następnych wyborach.",
]

GENERIC_QUESTIONS = [
    "Czy będzie też informacja na stronie urzędu?",
    "Kiedy będzie więcej szczegółów?",
    "Czy to dotyczy też mieszkańców okolicznych wsi?",
    "Gdzie można się dowiedzieć więcej?",
    "Do kogo można zadzwonić w tej sprawie?",
]

ANSWER_OPENINGS = ["Dzień dobry, ", "Dzień dobry! ", "", "Szanowna Pani, ", "Szanowny Panie, ", "Witamy, "]
ANSWER_CLOSINGS = ["", " Pozdrawiamy!", " Pozdrawiamy serdecznie.", " 🙂", " W razie pytań zapraszamy do kontaktu."]
GENERIC_ANSWERS = [
    "Prosimy o kontakt z biurem obsługi mieszkańców, tam uzyskają Państwo wszystkie informacje.",
    "Szczegóły opublikujemy wkrótce na stronie urzędu.",
    "Dziękujemy za zgłoszenie, przekazaliśmy je do właściwego wydziału.",
    "Tak, dotyczy to wszystkich mieszkańców.",
]
THANKS_ANSWERS = ["Dziękujemy! 🙂", "Dziękujemy za miłe słowa!", "Cieszymy się, że się podoba!"]

# Shared posts (is_own False): what an office typically re-shares.
SHARED_POSTS = [
    "Udostępniamy komunikat Komendy Powiatowej Policji.",
    "Ważna informacja od Powiatowego Urzędu Pracy.",
    "Komunikat wojewódzkiego sanepidu.",
    "Polecamy! Wydarzenie naszych sąsiadów.",
    "Udostępniamy apel Państwowej Straży Pożarnej.",
    "Za Regionalnym Centrum Krwiodawstwa: potrzebna krew grupy 0 Rh−.",
]

PARK_NAMES = ["Miejski", "Zdrojowy", "Słowackiego", "Jordana", "Tysiąclecia", "Kościuszki", "im. Jana Pawła II"]

SCHOOL_LOCATIVE = {
    "Szkoła Podstawowa nr 1": "Szkole Podstawowej nr 1",
    "Szkoła Podstawowa nr 2": "Szkole Podstawowej nr 2",
    "Szkoła Podstawowa nr 3": "Szkole Podstawowej nr 3",
    "Zespół Szkół": "Zespole Szkół",
    "Przedszkole Samorządowe": "Przedszkolu Samorządowym",
    "Liceum Ogólnokształcące": "Liceum Ogólnokształcącym",
    "Zespół Szkolno-Przedszkolny": "Zespole Szkolno-Przedszkolnym",
    "Technikum": "Technikum",
}

# The profile's answer to each question template (questions not listed get a generic answer).
ANSWER_TO: dict[str, str] = {
    "Kiedy w końcu skończy się remont na {ulica}?": "Zgodnie z harmonogramem prace potrwają do końca {miesiac}. "
    "Przepraszamy za utrudnienia.",
    "Czy ulica {ulica2} też będzie remontowana w tym roku?": "Ulica {ulica2} jest ujęta w planie remontów na "
    "przyszły rok.",
    "Kiedy ktoś załata dziury na {ulica2}?": "Zgłoszenie przekazaliśmy do zarządcy drogi, ubytki zostaną "
    "uzupełnione w ciągu tygodnia.",
    "Czy objazd będzie oznakowany dla ciężarówek?": "Tak, objazd dla pojazdów ciężarowych jest oznakowany "
    "zgodnie z projektem organizacji ruchu.",
    "A co z chodnikiem przy {ulica}? Kiedy będzie zrobiony?": "Chodnik przy ulicy {ulica} wykonamy w przyszłym "
    "roku, zadanie jest ujęte w budżecie.",
    "Czy będzie parking dla przyjezdnych?": "Parking dla gości będzie dostępny przy hali sportowej.",
    "O której zaczyna się koncert gwiazdy wieczoru?": "Koncert gwiazdy wieczoru zaplanowano na godz. 21:00.",
    "Czy można wejść z psem?": "Tak, prosimy tylko o smycz i sprzątanie po swoim pupilu.",
    "Kiedy będą zdjęcia z wydarzenia?": "Zdjęcia opublikujemy w galerii w ciągu kilku dni.",
    "Czy w razie deszczu impreza się odbędzie?": "Tak, impreza odbędzie się bez względu na pogodę.",
    "Czy mogę zgłosić projekt, jeśli nie jestem zameldowany?": "Projekt może zgłosić każdy mieszkaniec, "
    "niezależnie od meldunku.",
    "Kiedy zostaną zrealizowane projekty z zeszłego roku?": "Projekty z zeszłej edycji są w trakcie realizacji, "
    "większość zakończy się do końca roku.",
    "Ile głosów można oddać?": "Każdy mieszkaniec może oddać głos na maksymalnie 3 projekty.",
    "Gdzie można sprawdzić listę projektów?": "Listę projektów znajdą Państwo na stronie budżetu obywatelskiego.",
    "Czy ankietę można wypełnić papierowo?": "Tak, formularz papierowy jest dostępny w biurze obsługi mieszkańców.",
    "Czy uwagi mieszkańców będą brane pod uwagę, czy to tylko formalność?": "Wszystkie uwagi zostaną rozpatrzone "
    "i opisane w raporcie z konsultacji.",
    "Gdzie można znaleźć projekt planu?": "Projekt planu jest dostępny w Biuletynie Informacji Publicznej.",
    "Do kiedy można składać uwagi?": "Uwagi można składać do {dzien}.",
    "Dlaczego śmieci z ulicy {ulica} nie zostały odebrane?": "Przekazaliśmy zgłoszenie firmie odbierającej "
    "odpady, odbiór nastąpi w ciągu 2 dni.",
    "Czy popiół można wyrzucać do bio?": "Nie, popiół należy wyrzucać do pojemnika na odpady zmieszane.",
    "Kiedy będzie nowy harmonogram?": "Nowy harmonogram opublikujemy do końca {miesiac}.",
    "Czy PSZOK przyjmuje opony?": "Tak, PSZOK przyjmuje do 4 opon rocznie od gospodarstwa domowego.",
    "Czy będzie dodatkowy oddział w przedszkolu?": "Tak, od września uruchamiamy dodatkowy oddział przedszkolny.",
    "Kiedy będą wyniki rekrutacji?": "Wyniki rekrutacji zostaną ogłoszone do {dzien}.",
    "Czy autobus szkolny będzie jeździł też przez {ulica}?": "Trasa autobusu została ustalona z dyrekcją szkoły, "
    "przekażemy tę sugestię.",
    "Czy szkoły jutro będą otwarte?": "Tak, szkoły pracują normalnie.",
    "Gdzie zgłosić powalone drzewo?": "Powalone drzewa prosimy zgłaszać pod numer alarmowy 112 lub do "
    "dyżurnego gminy.",
    "Czy jest punkt, gdzie można dostać worki z piaskiem?": "Worki z piaskiem wydaje straż pożarna przy remizie.",
    "Czy autobus będzie jeździł też w weekendy?": "W weekendy linia kursuje co godzinę.",
    "Kiedy wróci kurs o 6:15?": "Kurs o 6:15 wraca do rozkładu od poniedziałku.",
    "Dlaczego zlikwidowano przystanek przy {ulica}?": "Przystanek przeniesiono o 200 metrów ze względu na "
    "przebudowę skrzyżowania.",
    "O której zaczyna się msza w intencji Ojczyzny?": "Msza rozpocznie się o godz. 10:00, po niej przemarsz "
    "pod pomnik.",
    "Czy w parku będzie toaleta?": "Toaleta zostanie ustawiona przy wejściu głównym do końca {miesiac}.",
    "Kiedy zostanie przycięte drzewo przy {ulica}?": "Przycięcie drzewa przy ulicy {ulica} zlecimy w najbliższym "
    "tygodniu.",
    "Czy porządek obrad jest już dostępny?": "Tak, porządek obrad jest opublikowany w BIP.",
    "Kiedy będzie głosowana uchwała w sprawie {ulica}?": "Projekt uchwały będzie rozpatrywany na kolejnej sesji.",
    "Czy trzeba mieć skierowanie na badania?": "Skierowanie nie jest potrzebne.",
    "Gdzie są zapisy do klubu seniora?": "Zapisy do klubu seniora przyjmuje ośrodek kultury.",
    "Kiedy wróci woda?": "Ekipa pracuje na miejscu, dostawy wody wrócą w ciągu kilku godzin.",
    "Czy beczkowóz podjedzie też na {ulica2}?": "Tak, drugi beczkowóz stoi przy ulicy {ulica2}.",
    "Czy wodę można pić po przegotowaniu?": "Tak, woda po przegotowaniu nadaje się do picia.",
    "Jakie są widełki płacowe?": "Wysokość wynagrodzenia podajemy w ogłoszeniu w BIP.",
    "Czy można składać dokumenty mailem?": "Dokumenty można złożyć przez ePUAP lub osobiście w kancelarii urzędu.",
    "Kiedy będzie spotkanie w naszym sołectwie?": "Spotkanie w sołectwie planujemy w przyszłym miesiącu, "
    "termin podamy wcześniej.",
    "Czy można umówić się na rozmowę?": "Oczywiście, prosimy o kontakt z sekretariatem urzędu.",
}

# What the office answers to complaints.
COMPLAINT_ANSWERS = [
    "Przepraszamy za utrudnienia, przekazaliśmy uwagę do właściwego wydziału.",
    "Dziękujemy za sygnał, sprawdzimy to.",
    "Rozumiemy Państwa zdenerwowanie. Sprawą zajmuje się już właściwy wydział.",
    "Prosimy o kontakt z biurem obsługi mieszkańców, wyjaśnimy sprawę.",
]
