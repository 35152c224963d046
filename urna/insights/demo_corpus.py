"""Generated Spanish opinions for the demo's Agrarian Pact exercise.

The one generator of synthetic consultation text: the demo uses it, and ``bench/gen_corpus.py``
(which the runtime never imports) wraps it for the benchmarks. Ten rural topics, campaign letters
pasted with small changes, stock short phrases, typos and missing accents. The demo's campaign
copies are never signed with a person's name, so it shows no invented names as quotes; the
benchmark passes a ``signer`` that adds names, as mass campaigns do.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

MUNICIPIOS = [
    "Ataco",
    "Chaparral",
    "Planadas",
    "Rioblanco",
    "Florencia",
    "Cartagena del Chairá",
    "San Vicente del Caguán",
    "Puerto Asís",
    "Mocoa",
    "Orito",
    "Tumaco",
    "Barbacoas",
    "Ricaurte",
    "El Charco",
    "Guapi",
    "Timbiquí",
    "López de Micay",
    "Suárez",
    "Buenos Aires",
    "Caldono",
    "Toribío",
    "Jambaló",
    "Corinto",
    "Miranda",
    "Florida",
    "Pradera",
    "Dagua",
    "Buenaventura",
    "Quibdó",
    "Riosucio",
    "Bojayá",
    "Turbo",
    "Apartadó",
    "Chigorodó",
    "Dabeiba",
    "Ituango",
    "Briceño",
    "Tarazá",
    "Cáceres",
    "Caucasia",
    "El Bagre",
    "Segovia",
    "Remedios",
    "Yondó",
    "Barrancabermeja",
    "San Pablo",
    "Simití",
    "Tibú",
    "El Tarra",
    "Sardinata",
    "Ocaña",
    "Convención",
    "Teorama",
    "Hacarí",
    "Saravena",
    "Tame",
    "Arauquita",
    "Fortul",
    "Mesetas",
    "Uribe",
    "La Macarena",
    "Vista Hermosa",
    "Puerto Rico",
    "Mapiripán",
    "Puerto Gaitán",
    "Calamar",
    "El Retorno",
    "Valledupar",
    "La Paz",
    "Pueblo Bello",
    "Fonseca",
    "Ovejas",
    "El Carmen de Bolívar",
    "San Jacinto",
    "María la Baja",
    "Sincelejo",
    "Tierralta",
]
VEREDAS = [
    "La Esperanza",
    "El Porvenir",
    "Las Brisas",
    "San Isidro",
    "La Floresta",
    "El Diamante",
    "Buenos Aires",
    "La Unión",
    "El Paraíso",
    "Bellavista",
    "La Cristalina",
    "Santa Helena",
    "Los Alpes",
    "La Palmera",
    "El Recreo",
    "Alto Bonito",
    "La Primavera",
    "Villa Nueva",
    "El Triunfo",
    "La Libertad",
    "Monserrate",
    "El Silencio",
]

# Every topic has its own vocabulary; slot values add variety so individual opinions rarely
# coincide. ``{m}`` is a municipality, ``{v}`` a vereda, ``{n}`` a number.
TOPICS: dict[str, dict[str, list[str]]] = {
    "tierras": {
        "s": [
            "La restitución de tierras en {m} avanza muy lento y los reclamantes siguen esperando.",
            "Necesitamos formalizar la propiedad de los predios, muchas familias no tienen título.",
            "El catastro multipropósito debe llegar a la vereda {v} para saber quién es dueño.",
            "Los despojados por la violencia merecen que les devuelvan sus parcelas.",
            "Hay {n} familias esperando la adjudicación de baldíos desde hace años.",
            "El fondo de tierras tiene que entregar predios a los campesinos sin tierra.",
            "Los jueces de restitución deben fallar más rápido los procesos de despojo.",
            "La titulación de predios rurales es clave para acceder a todo lo demás.",
            "Los grandes terratenientes acaparan la tierra mientras el campesino no tiene "
            "dónde sembrar.",
            "Pedimos un censo de ocupantes de baldíos en {m} para la formalización.",
            "La Agencia Nacional de Tierras no responde las solicitudes de adjudicación.",
            "Las zonas de reserva campesina protegen la tierra de la concentración.",
        ],
        "short": [
            "Restitución de tierras ya",
            "Queremos títulos de propiedad",
            "Tierra para el campesino",
        ],
    },
    "credito": {
        "s": [
            "El crédito agrario tiene intereses muy altos para el pequeño productor.",
            "El Banco Agrario pide demasiados requisitos y garantías para un préstamo.",
            "Necesitamos líneas de crédito con tasa subsidiada y periodo de gracia de {n} meses.",
            "Muchos campesinos están reportados en centrales de riesgo por deudas viejas.",
            "Finagro debe llegar con microcrédito a las veredas como {v}.",
            "Los préstamos deben tener plazos acordes con el ciclo de cosecha.",
            "Pedimos alivio de deudas y condonación de intereses para los deudores del campo.",
            "El seguro agropecuario debe cubrir las pérdidas por clima en los créditos.",
            "Sin codeudor ni hipoteca no nos aprueban ningún préstamo en {m}.",
            "La banca debería financiar proyectos productivos asociativos con tasas bajas.",
            "Los bancos cobran comisiones y seguros que encarecen el crédito rural.",
        ],
        "short": [
            "Crédito barato para el campo",
            "Bajen los intereses",
            "Préstamos sin tanto requisito",
        ],
    },
    "vias": {
        "s": [
            "La vía terciaria de la vereda {v} está intransitable en invierno.",
            "Necesitamos placa huella para sacar los productos hasta {m}.",
            "El puente sobre la quebrada se cayó hace {n} meses y nadie lo arregla.",
            "Las carreteras rurales están llenas de huecos y derrumbes.",
            "Sin vías no podemos sacar la cosecha y se pierde en la finca.",
            "Pedimos maquinaria amarilla para el mantenimiento de los caminos veredales.",
            "El transporte hasta el casco urbano cuesta mucho por el mal estado de la trocha.",
            "Las juntas de acción comunal pueden construir las vías si les dan recursos.",
            "La pavimentación de la carretera a {m} lleva años prometida.",
            "Los derrumbes tapan la vía y quedamos incomunicados varios días.",
            "Se necesitan alcantarillas y cunetas para que el agua no destruya la carretera.",
        ],
        "short": ["Arreglen las vías", "Vías terciarias ya", "Necesitamos carretera"],
    },
    "insumos": {
        "s": [
            "El precio de los fertilizantes se duplicó y ya no alcanza para abonar.",
            "Los insumos agrícolas están carísimos y el precio de venta no sube.",
            "La urea y el abono cuestan más que lo que nos pagan por la carga.",
            "Pedimos control de precios a los agroquímicos y plaguicidas.",
            "Deberían subsidiar los fertilizantes para los pequeños productores.",
            "El costo de producción de un bulto de papa ya supera los {n} mil pesos.",
            "Los intermediarios de insumos abusan con los precios en {m}.",
            "Queremos apoyo para producir bioinsumos y abonos orgánicos en la finca.",
            "El glifosato y los herbicidas subieron de precio por el dólar.",
            "Las semillas certificadas son muy costosas para el campesino.",
        ],
        "short": ["Bajen el precio del abono", "Fertilizantes más baratos", "Insumos caros"],
    },
    "agua": {
        "s": [
            "En la vereda {v} no tenemos acueducto y tomamos agua de la quebrada.",
            "Necesitamos distritos de riego para cultivar en verano.",
            "La sequía acabó con los cultivos porque no hay sistema de riego.",
            "El agua que consumimos no es potable y los niños se enferman del estómago.",
            "Pedimos reservorios y jagüeyes para almacenar agua lluvia.",
            "Los acueductos comunitarios necesitan apoyo para tratar el agua.",
            "Las mangueras y tanques para el riego por goteo son muy costosos.",
            "La concesión de aguas es un trámite imposible para el pequeño productor.",
            "El río se está secando por la tala y ya no hay caudal para regar.",
            "Se necesita una planta de tratamiento de agua potable en {m}.",
        ],
        "short": ["Agua potable para la vereda", "Necesitamos riego", "Queremos acueducto"],
    },
    "educacion": {
        "s": [
            "La escuela de la vereda {v} no tiene profesor desde hace {n} meses.",
            "Los niños caminan horas para llegar al colegio porque no hay transporte escolar.",
            "Necesitamos internet y computadores en las sedes educativas rurales.",
            "El restaurante escolar no llega o llega con comida de mala calidad.",
            "Pedimos becas para que los jóvenes rurales estudien en la universidad.",
            "La educación técnica agropecuaria debe llegar al campo con el SENA.",
            "Los docentes rurales necesitan mejores condiciones y vivienda.",
            "La infraestructura de la escuela se está cayendo, el techo tiene goteras.",
            "Muchos jóvenes abandonan el bachillerato para trabajar en la finca.",
            "Se necesita educación para adultos y alfabetización en {m}.",
        ],
        "short": [
            "Profesores para la escuela",
            "Educación rural de calidad",
            "Becas para los jóvenes",
        ],
    },
    "salud": {
        "s": [
            "El puesto de salud de {m} no tiene médico ni medicamentos.",
            "Para una cita con especialista toca viajar {n} horas a la ciudad.",
            "Necesitamos brigadas de salud y una ambulancia para la zona rural.",
            "La EPS no autoriza los tratamientos y la gente se muere esperando.",
            "Las mujeres embarazadas del campo no tienen control prenatal.",
            "Pedimos que el hospital tenga enfermeras y atención de urgencias las 24 horas.",
            "Los medicamentos no llegan a la farmacia del centro de salud.",
            "La salud mental de las víctimas no es atendida por nadie.",
            "Se necesitan promotores de salud en veredas como {v}.",
            "La atención odontológica no existe en el campo.",
        ],
        "short": ["Médicos para el campo", "Salud digna", "Queremos un puesto de salud"],
    },
    "seguridad": {
        "s": [
            "Los grupos armados siguen reclutando jóvenes en {m}.",
            "Los líderes sociales son amenazados y asesinados sin que nadie responda.",
            "Pedimos que se cumpla el acuerdo de paz en los territorios.",
            "Las minas antipersonal siguen en los caminos de la vereda {v}.",
            "La extorsión a los comerciantes y finqueros no para.",
            "Necesitamos protección para los firmantes de paz y sus familias.",
            "La sustitución de cultivos de uso ilícito no ha cumplido lo prometido.",
            "El conflicto armado nos tiene confinados y con miedo.",
            "La fuerza pública debe respetar los derechos humanos de la comunidad.",
            "Se necesitan garantías de seguridad para la participación ciudadana.",
        ],
        "short": ["Queremos paz", "Paz en los territorios", "Protejan a los líderes"],
    },
    "comercializacion": {
        "s": [
            "Los intermediarios se quedan con la ganancia y al productor le pagan muy poco.",
            "Necesitamos centros de acopio y cadena de frío en {m}.",
            "Las compras públicas deben comprar la cosecha a los campesinos locales.",
            "Pedimos mercados campesinos en las ciudades para vender directo.",
            "El precio del café y del cacao en finca no cubre los costos.",
            "Las asociaciones de productores necesitan apoyo para exportar.",
            "La leche nos la pagan a {n} pesos el litro, eso no alcanza.",
            "Falta asistencia para vender por internet y llegar a nuevos compradores.",
            "Las importaciones de alimentos hunden el precio de nuestros productos.",
            "Se necesitan plantas de transformación para darle valor agregado a la cosecha.",
        ],
        "short": [
            "Precios justos para el campesino",
            "Mercados campesinos ya",
            "Sin intermediarios",
        ],
    },
    "ambiente": {
        "s": [
            "La deforestación en {m} avanza por la ganadería extensiva y la tala ilegal.",
            "Pedimos pago por servicios ambientales a quienes cuidan el bosque.",
            "La minería ilegal está contaminando los ríos con mercurio.",
            "Los páramos y nacimientos de agua deben protegerse de la explotación.",
            "Necesitamos reforestar las cuencas con especies nativas.",
            "Las quemas para potrero están acabando con la fauna silvestre.",
            "El cambio climático trae inundaciones y sequías cada vez más fuertes.",
            "Se necesitan proyectos de conservación con las comunidades de la vereda {v}.",
            "Los parques naturales deben tener acuerdos con los campesinos que viven ahí.",
            "La fumigación aérea daña el medio ambiente y la salud.",
        ],
        "short": ["Cuidemos el bosque", "No a la minería ilegal", "Protejan los páramos"],
    },
}
TOPIC_NAMES = list(TOPICS)

OPENERS = [
    "",
    "",
    "",
    "Buenos días.",
    "Buenas tardes a todos.",
    "Como campesino de {m},",
    "Soy de la vereda {v} y quiero decir que",
    "Desde {m} les escribimos porque",
    "Mi propuesta es la siguiente:",
    "Quiero expresar mi opinión.",
    "Señores del Gobierno:",
    "Como mujer rural,",
    "En nombre de la junta de acción comunal,",
]
CLOSERS = [
    "",
    "",
    "",
    "Gracias.",
    "Muchas gracias por escuchar.",
    "Esperamos respuesta pronto.",
    "Ojalá esta vez sí nos tengan en cuenta.",
    "Es urgente.",
    "Dios los bendiga.",
    "Quedo atento.",
]
CAMPAIGN_HEADS = [
    "Nosotros, los abajo firmantes, habitantes de {m}, solicitamos respetuosamente lo siguiente.",
    "La Asociación Campesina de {m} presenta esta propuesta colectiva a la consulta.",
    "Como comunidad organizada de la vereda {v} exigimos al Gobierno Nacional atender este pliego.",
    "Respaldamos la propuesta de la mesa de concertación de {m} y pedimos que se incluya.",
]
CAMPAIGN_TAILS = [
    "Exigimos que esta propuesta quede incluida en el plan de desarrollo.",
    "Firmamos esta petición colectiva y esperamos una respuesta de fondo.",
    "Esta es la voz de las comunidades organizadas del territorio.",
    "Solicitamos que nuestra petición sea leída y respondida de manera oficial.",
]
STOCK = ["De acuerdo", "Apoyo la propuesta", "Sí", "Ok", "Estoy de acuerdo", "Ninguna", "Nada"]


# Generic paraphrase material: individual opinions built from a small sentence bank would
# otherwise coincide far more often than real ones do.
LEADS = {
    "Necesitamos": ("Pedimos", "Solicitamos", "Requerimos", "Nos urge", "Hace falta que nos den"),
    "Pedimos": ("Solicitamos", "Exigimos", "Necesitamos", "Queremos"),
    "Se necesita": ("Hace falta", "Urge", "Se requiere", "Es necesaria"),
    "Se necesitan": ("Hacen falta", "Urgen", "Se requieren", "Son necesarias"),
}
FILLERS = (
    "la verdad",
    "de verdad",
    "hoy en día",
    "desde hace mucho",
    "como siempre",
    "en la región",
    "por desgracia",
    "sin duda",
    "otra vez",
    "todavía",
    "a veces",
    "en mi caso",
    "en el campo",
    "en nuestro municipio",
    "aunque no lo crean",
    "como todos saben",
)
TAILS = (
    "y nadie hace nada",
    "desde hace años",
    "y eso nos tiene cansados",
    "como en toda la región",
    "según lo que vivimos en {m}",
    "y lo decimos con respeto",
    "y el gobierno lo sabe",
    "porque es un derecho",
    "y eso afecta a mi familia",
    "lo digo por experiencia",
    "y así no se puede trabajar",
    "como lo hemos dicho en muchas reuniones",
    "y lo sufren sobre todo los jóvenes",
    "y las mujeres son las más afectadas",
    "mientras en las ciudades sí hay",
    "y ya hemos hecho derechos de petición",
)


def _fill(template: str, rnd: random.Random) -> str:
    if "{" not in template:
        return template
    return template.format(
        m=rnd.choice(MUNICIPIOS),
        v=rnd.choice(VEREDAS),
        n=rnd.randint(2, 60),
        c=rnd.choice(CULTIVOS),
    )


SYNONYMS = {
    "campesinos": ("productores", "agricultores", "campesinos", "pequeños productores"),
    "campesino": ("productor", "agricultor", "campesino"),
    "vereda": ("vereda", "comunidad", "zona", "corregimiento"),
    "muy": ("muy", "bastante", "demasiado", "súper"),
    "Gobierno": ("Gobierno", "Estado", "Ministerio", "Gobierno Nacional"),
    "necesitan": ("necesitan", "requieren", "piden"),
    "deben": ("deben", "tienen que", "deberían"),
    "debe": ("debe", "tiene que", "debería"),
    "no": ("no", "no", "todavía no"),
    "los": ("los", "los", "nuestros"),
    "las": ("las", "las", "nuestras"),
    "hay": ("hay", "existe", "tenemos"),
    "para": ("para", "para", "con el fin de"),
    "mucho": ("mucho", "demasiado", "un montón"),
}
CONTEXT = (
    "Vivo en la vereda {v} de {m} hace {n} años.",
    "Tengo {n} hectáreas y cultivo {c}.",
    "Somos {n} familias en {v}.",
    "Soy madre cabeza de hogar con {n} hijos.",
    "Llevo {n} años sembrando {c} en {m}.",
    "En mi familia somos {n} personas y vivimos del {c}.",
)
CULTIVOS = ("café", "cacao", "plátano", "yuca", "maíz", "papa", "aguacate", "caña", "arroz")


def _vary(sentence: str, rnd: random.Random) -> str:
    for lead, alts in LEADS.items():
        if sentence.startswith(lead + " ") and rnd.random() < 0.6:
            alt = rnd.choice(alts)
            sentence = alt + sentence[len(lead) :]
            break
    words = [
        rnd.choice(SYNONYMS[w]) if w in SYNONYMS and rnd.random() < 0.5 else w
        for w in sentence.rstrip(".").split(" ")
    ]
    if rnd.random() < 0.5 and len(words) > 3:
        words.insert(rnd.randrange(2, len(words)), rnd.choice(FILLERS))
    if rnd.random() < 0.5:
        words.append(_fill(rnd.choice(TAILS), rnd))
    return " ".join(words) + "."


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LETTERS = "abcdefghijlmnoprstuv"


def _typos(text: str, rnd: random.Random, k: int) -> str:
    words = text.split(" ")
    for _ in range(k):
        i = rnd.randrange(len(words))
        w = words[i]
        if len(w) < 4:
            continue
        j = rnd.randrange(1, len(w) - 1)
        op = rnd.random()
        if op < 0.33:
            w = w[:j] + w[j + 1 :]  # deletion
        elif op < 0.66:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # transposition
        else:
            w = w[:j] + rnd.choice(_LETTERS) + w[j + 1 :]  # substitution
        words[i] = w
    return " ".join(words)


def _surface_noise(text: str, rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.25:
        text = _typos(text, rnd, rnd.randint(1, 3))
    if rnd.random() < 0.2:
        text = _strip_accents(text)
    r = rnd.random()
    if r < 0.08:
        text = text.lower()
    elif r < 0.1:
        text = text.upper()
    return text


def _organic(topic: str, rnd: random.Random) -> tuple[str, str]:
    """An individual opinion and its duplicate-group key ("" unless a stock short phrase)."""
    spec = TOPICS[topic]
    r = rnd.random()
    if r < 0.03:
        # Short slogans are typed identically by many people: exact duplicates by design, so
        # only case and accent noise (which folding removes) is applied.
        k = rnd.randrange(len(spec["short"]))
        text = spec["short"][k]
        if rnd.random() < 0.3:
            text = _strip_accents(text)
        if rnd.random() < 0.2:
            text = text.lower()
        return text, f"short-{topic}-{k}"
    n = rnd.randint(8, 14) if r < 0.05 else rnd.choice((1, 2, 2, 2, 3, 3, 3, 4))
    chosen = rnd.sample(spec["s"], min(n, len(spec["s"])))
    sentences = [_vary(_fill(s, rnd), rnd) for s in chosen]
    if rnd.random() < 0.08:
        # Real opinions wander: one sentence about something else.
        other = rnd.choice(TOPIC_NAMES)
        extra = _vary(_fill(rnd.choice(TOPICS[other]["s"]), rnd), rnd)
        sentences.insert(rnd.randrange(len(sentences) + 1), extra)
    if len(sentences) < 3 and rnd.random() < 0.6:
        # Personal context makes short opinions as different from each other as real ones.
        sentences.insert(rnd.randrange(len(sentences) + 1), _fill(rnd.choice(CONTEXT), rnd))
    opener = _fill(rnd.choice(OPENERS), rnd)
    if opener.endswith((",", "que")):
        sentences[0] = sentences[0][0].lower() + sentences[0][1:]
    parts = [opener, *sentences, rnd.choice(CLOSERS)]
    return _surface_noise(" ".join(p for p in parts if p), rnd), ""


ORGS = (
    "Asociación de Productores",
    "Junta de Acción Comunal",
    "Mesa Campesina",
    "Cooperativa",
    "Red de Mujeres Rurales",
    "Consejo Comunitario",
    "Cabildo",
    "Comité de Víctimas",
)


def _campaign_base(topic: str, rnd: random.Random) -> str:
    spec = TOPICS[topic]
    body = [_vary(_fill(s, rnd), rnd) for s in rnd.sample(spec["s"], rnd.randint(3, 5))]
    # Each organisation writes its own letter: different campaigns must not be near-copies.
    org = (
        f"La {rnd.choice(ORGS)} {rnd.choice(VEREDAS)} de {rnd.choice(MUNICIPIOS)}, con "
        f"{rnd.randint(20, 900)} familias, lo respalda desde {rnd.randint(1990, 2024)}."
    )
    parts = [_fill(rnd.choice(CAMPAIGN_HEADS), rnd), org, *body, rnd.choice(CAMPAIGN_TAILS)]
    return " ".join(parts)


Signer = Callable[[random.Random], str]


def _campaign_copy(base: str, rnd: random.Random, signer: Signer | None = None) -> str:
    if rnd.random() < 0.35:
        return base
    text = base
    if rnd.random() < 0.1:
        # Someone drops one sentence while pasting.
        sentences = text.split(". ")
        if len(sentences) > 4:
            del sentences[rnd.randrange(1, len(sentences) - 1)]
            text = ". ".join(sentences)
    r = rnd.random()
    if r < 0.15:
        text = text.replace(",", "").replace(". ", " ")
    elif r < 0.25:
        text = text.replace(".", "!!")
    if rnd.random() < 0.4:
        if signer is None:
            endings = (
                " Firma: un vecino.",
                " Atentamente, la comunidad.",
                f" Vereda {rnd.choice(VEREDAS)}.",
            )
        else:
            name = signer(rnd)
            endings = (
                f" Firma: {name}.",
                f" Atentamente, {name}.",
                f" {name}, vereda {rnd.choice(VEREDAS)}.",
            )
        text += rnd.choice(endings)
    if rnd.random() < 0.15:
        text = rnd.choice(("Buenos días. ", "Apoyo esto: ", "Comparto: ")) + text
    if rnd.random() < 0.4:
        text = _typos(text, rnd, rnd.randint(1, 3))
    if rnd.random() < 0.25:
        text = _strip_accents(text)
    if rnd.random() < 0.05:
        text = text.lower()
    return text


def generate(
    n: int, seed: int = 7, campaign_share: float = 0.3, signer: Signer | None = None
) -> list[dict[str, str]]:
    """``n`` synthetic opinions with ground truth, deterministic for a given seed."""
    rnd = random.Random(seed)
    n_campaign_rows = int(n * campaign_share)
    n_campaigns = max(2, n // 2500)
    # Zipf-like campaign sizes: a few big campaigns, many small ones.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_campaigns)]
    total = sum(weights)
    sizes = [max(2, int(n_campaign_rows * w / total)) for w in weights]
    campaigns = []
    for c in range(n_campaigns):
        topic = rnd.choice(TOPIC_NAMES)
        campaigns.append((f"camp-{c}", topic, _campaign_base(topic, rnd), sizes[c]))
    labels: list[tuple[str, str]] = []  # (kind, key) per row before shuffling
    for cid, _, _, size in campaigns:
        labels.extend([("c", cid)] * size)
    labels.extend([("o", "")] * max(0, n - len(labels)))
    labels = labels[:n]
    rnd.shuffle(labels)
    by_id = {cid: (topic, base) for cid, topic, base, _ in campaigns}
    rows: list[dict[str, str]] = []
    for i, (kind, key) in enumerate(labels):
        if kind == "c":
            topic, base = by_id[key]
            rows.append(
                {
                    "id": str(i + 1),
                    "text": _campaign_copy(base, rnd, signer),
                    "topic": topic,
                    "campaign_id": key,
                    "dup_group": key,
                }
            )
            continue
        if rnd.random() < 0.01:
            k = rnd.randrange(len(STOCK))
            rows.append(
                {
                    "id": str(i + 1),
                    "text": STOCK[k],
                    "topic": "",
                    "campaign_id": "",
                    "dup_group": f"stock-{k}",
                }
            )
            continue
        topic = rnd.choice(TOPIC_NAMES)
        text, dup = _organic(topic, rnd)
        rows.append(
            {"id": str(i + 1), "text": text, "topic": topic, "campaign_id": "", "dup_group": dup}
        )
    return rows
