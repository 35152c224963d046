"""Verbatim shared preambles: the corpus that reproduced the owners' symptom (issue #14).

NOT held out: written by the lead while changing the theme pipeline, from the owners' words
("many campaigns share the same preamble wording"). Every campaign uses one of three preambles
and one of two closings word for word, with only the community's name changed, around three
demands from one topic; individual opinions mix a topic's sentences with verbatim generic
fillers. Before issue #14 the pipeline chained its campaigns into one near-duplicate group and
put 48% of the opinions in one theme. Columns: id, text, topic, campaign_id.
"""

# ruff: noqa: E501 (the letters' sentences are data)
import csv
import random
import sys

TOPICS = {
    "vias": [
        "arreglar la carretera veredal que conecta con el casco urbano",
        "pavimentar la via terciaria hasta la vereda",
        "construir puentes sobre la quebrada para sacar la cosecha",
        "mantenimiento de los caminos rurales en invierno",
        "placa huella para las vias de acceso a las fincas",
        "maquinaria amarilla para abrir trochas",
        "las vias estan destruidas y no podemos transportar los productos",
    ],
    "credito": [
        "creditos con bajos intereses para pequenos productores",
        "que el banco agrario no exija tantos requisitos para prestamos",
        "alivio de deudas y condonacion de intereses a campesinos endeudados",
        "financiacion para comprar ganado y semillas",
        "microcreditos para mujeres rurales emprendedoras",
        "refinanciar las obligaciones con el fondo agropecuario",
    ],
    "insumos": [
        "bajar el precio de los fertilizantes y abonos",
        "subsidio para los insumos agricolas que estan carisimos",
        "control a los precios de los agroquimicos importados",
        "producir abonos organicos en la region",
        "el costo de la urea se triplico y no alcanza",
        "semillas certificadas a precio justo",
    ],
    "tierra": [
        "titulacion de predios baldios a familias campesinas",
        "formalizar la propiedad de la tierra",
        "restitucion de tierras a victimas del despojo",
        "reforma agraria y acceso a tierra para jovenes",
        "catastro multiproposito actualizado en los municipios",
        "entregar las tierras del fondo de tierras",
    ],
    "agua": [
        "distritos de riego para la temporada seca",
        "proteger los nacimientos de agua y paramos",
        "acueductos veredales con agua potable",
        "reservorios para cosechar agua lluvia",
        "la sequia acabo con los cultivos y necesitamos riego",
        "descontaminar el rio que surte a la vereda",
    ],
    "precios": [
        "precios justos de compra para la leche y el cafe",
        "eliminar los intermediarios que se quedan con la ganancia",
        "centros de acopio y mercados campesinos",
        "compras publicas a productores locales para los colegios",
        "controlar las importaciones de papa y arroz",
        "asociatividad para vender directamente",
    ],
    "asistencia": [
        "asistencia tecnica agropecuaria permanente con agronomos",
        "extension rural y capacitacion en buenas practicas",
        "veterinarios para el control de enfermedades del ganado",
        "transferencia de tecnologia para mejorar la productividad",
        "escuelas de campo para agricultores",
        "acompanamiento tecnico en el manejo de plagas",
    ],
    "educacion": [
        "colegios rurales con buenos profesores",
        "becas universitarias para jovenes del campo",
        "transporte escolar para los ninos de las veredas",
        "formacion tecnica agropecuaria del sena en la region",
        "conectividad e internet en las escuelas rurales",
        "restaurante escolar en la escuela de la vereda",
    ],
    "salud": [
        "puesto de salud con medico en el corregimiento",
        "brigadas de salud para las veredas lejanas",
        "ambulancia para emergencias rurales",
        "atencion a adultos mayores del campo",
        "medicamentos en el hospital del municipio",
        "salud mental y atencion a mujeres rurales",
    ],
    "seguridad": [
        "seguridad en el campo contra grupos armados",
        "sustitucion voluntaria de cultivos de coca con proyectos productivos",
        "cumplir los acuerdos del programa de sustitucion",
        "presencia del estado y la fuerza publica en las veredas",
        "desminado de los caminos y potreros",
        "proteccion a los lideres sociales amenazados",
    ],
}
GENERIC = [
    "el gobierno debe escuchar al campo",
    "los campesinos necesitamos apoyo",
    "es urgente",
    "ojala nos tengan en cuenta",
    "el campo colombiano esta abandonado",
    "gracias por la oportunidad de participar",
    "necesitamos mas inversion rural",
]
PREAMBLES = [
    "Nosotros, los integrantes de la {c}, reunidos en asamblea general y en ejercicio de nuestro derecho constitucional a la participacion ciudadana, nos dirigimos respetuosamente al Gobierno Nacional y al Ministerio de Agricultura para presentar las siguientes propuestas para el Pacto Agrario, que recogen el sentir de las familias campesinas de nuestra region que viven del trabajo de la tierra:",
    "Senores Gobierno Nacional: la {c}, organizacion que agrupa a cientos de familias productoras, en el marco de la consulta del Pacto Nacional por el Agro y el Desarrollo Rural, manifiesta de manera unanime y despues de varias reuniones comunitarias las siguientes necesidades que consideramos prioritarias para nuestro territorio:",
    "Reciban un cordial saludo de la {c}. Como comunidad organizada y comprometida con el desarrollo de nuestro municipio, y atendiendo la convocatoria de la Urna de Cristal, hacemos llegar nuestras peticiones para que sean incluidas en el Pacto Agrario y tenidas en cuenta en la formulacion de la politica publica:",
]
CLOSINGS = [
    "Esperamos una respuesta pronta y de fondo a estas solicitudes. Firmamos los abajo firmantes, miembros de la comunidad, en constancia de nuestro apoyo a este documento, y anexamos la lista de firmas con numero de cedula de cada uno de los asistentes a la asamblea.",
    "Agradecemos de antemano la atencion prestada y quedamos atentos a su respuesta. Este documento fue aprobado en asamblea y cuenta con el respaldo de todas las familias de la comunidad, cuyas firmas y documentos de identidad se adjuntan como soporte.",
]
COMMUNITY = [
    "junta de accion comunal de la vereda {p}",
    "asociacion de productores agropecuarios de {p}",
    "asociacion de mujeres campesinas de {p}",
    "cooperativa multiactiva de {p}",
    "comite de cafeteros de {p}",
]
PLACES = [
    "El Progreso",
    "La Esperanza",
    "San Isidro",
    "Buenavista",
    "El Carmen",
    "La Palma",
    "Santa Rita",
    "Alto Bonito",
    "Las Brisas",
    "El Porvenir",
    "Samaca",
    "Tunia",
    "Planadas",
    "Rionegro",
    "Garzon",
    "Ovejas",
    "Tame",
    "Lebrija",
    "Sonson",
    "Tibu",
    "Jambalo",
    "Fonseca",
    "Inza",
    "Pitalito",
]
NAMES = ["Maria", "Jose", "Luis", "Ana", "Carlos", "Rosa", "Pedro", "Luz", "Jorge", "Marta"]
SUR = [
    "Gomez",
    "Rodriguez",
    "Perez",
    "Martinez",
    "Lopez",
    "Garcia",
    "Vargas",
    "Rojas",
    "Castro",
    "Moreno",
]


def typo(rnd, s, p):
    out = []
    for ch in s:
        r = rnd.random()
        if r < p:
            continue
        if r < 2 * p and ch.isalpha():
            out.append(ch)
            out.append(ch)
            continue
        out.append(ch)
    return "".join(out)


def individual(rnd, t):
    r = rnd.random()
    d = TOPICS[t]
    if r < 0.12:
        w = rnd.choice(d).split()
        return " ".join(rnd.sample(w, min(len(w), rnd.randint(2, 3))))
    parts = [rnd.choice(d)]
    if rnd.random() < 0.5:
        parts.append(rnd.choice(d))
    if rnd.random() < 0.6:
        parts.insert(rnd.randint(0, len(parts)), rnd.choice(GENERIC))
    if rnd.random() < 0.15:
        other = rnd.choice([x for x in TOPICS if x != t])
        parts.append("y tambien " + rnd.choice(TOPICS[other]).split(" ", 3)[-1])
    s = ". ".join(parts)
    if rnd.random() < 0.3:
        s = s.capitalize()
    return typo(rnd, s, 0.01)


def gen(n, seed):
    rnd = random.Random(seed)
    rows = []
    target = n // 3
    sizes = []
    while sum(sizes) < target:
        sizes.append(max(20, int(20 * rnd.paretovariate(0.9))))
    sizes[-1] -= sum(sizes) - target
    topics = list(TOPICS)
    for ci, size in enumerate(sizes):
        t = rnd.choice(topics)
        comm = rnd.choice(COMMUNITY).format(p=rnd.choice(PLACES))
        pre = rnd.choice(PREAMBLES).format(c=comm)
        clo = rnd.choice(CLOSINGS)
        dem = rnd.sample(TOPICS[t], 3)
        body = " ".join(f"{i + 1}. {d.capitalize()}." for i, d in enumerate(dem))
        base = f"{pre} {body} {clo}"
        for _ in range(max(size, 1)):
            s = base
            r = rnd.random()
            if r < 0.3:
                s = typo(rnd, s, 0.005)
            if rnd.random() < 0.2:
                s += f" {rnd.choice(NAMES)} {rnd.choice(SUR)} CC {rnd.randint(10**6, 10**9)}"
            if rnd.random() < 0.05:
                s = s[: int(len(s) * rnd.uniform(0.5, 0.9))]
            rows.append((s, t, f"c{ci}"))
    while len(rows) < n:
        t = rnd.choice(topics)
        rows.append((individual(rnd, t), t, ""))
    rnd.shuffle(rows)
    return [{"id": i, "text": s, "topic": t, "campaign_id": c} for i, (s, t, c) in enumerate(rows)]


def generate(n: int, seed: int = 1) -> list[dict]:
    return gen(n, seed)


if __name__ == "__main__":
    n = int(sys.argv[1])
    rows = gen(n, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    w = csv.DictWriter(sys.stdout, fieldnames=["id", "text", "topic", "campaign_id"])
    w.writeheader()
    w.writerows(rows)
