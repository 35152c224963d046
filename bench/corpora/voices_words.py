"""Word lists of the urban-mobility held-out corpus (``citizen_voices``).

Ten topics of a city's mobility consultation, each split in two sub-issues (``a`` and ``b``) so
that petitions can interleave demands from both halves of one topic. Demands are whole sentences;
``bits`` are the fragments people type on a phone. Generic city words ("ciudad", "alcaldía",
"gente", "movilidad", "todos los días") run through every topic.
"""

from __future__ import annotations

TOPICS: dict[str, dict[str, list[str]]] = {
    "metro": {
        "a": [
            "Que la segunda línea del metro llegue hasta el sur de la ciudad.",
            "Construyan el metro subterráneo y no elevado por la avenida.",
            "El metro tiene que conectar con el aeropuerto y la terminal.",
            "Que las obras del metro no se vuelvan a quedar en estudios.",
            "Que el metro llegue a los municipios vecinos del área metropolitana.",
            "Un tren de cercanías por la vía férrea que ya existe.",
            "Publiquen el cronograma real de la obra del metro.",
        ],
        "b": [
            "Que el metro funcione hasta la medianoche los fines de semana.",
            "Más trenes en hora pico, el vagón va que no cabe un alfiler.",
            "Pongan aire acondicionado en los vagones del metro.",
            "Integren el pasaje del metro con los alimentadores.",
            "Arreglen las escaleras eléctricas del metro que viven dañadas.",
            "Más vigilancia en los vagones del metro de noche.",
            "Que el metro tenga wifi y señal dentro de los túneles.",
        ],
        "bits": ["metro ya", "la línea del metro", "metro x el sur", "el tren", "vagones"],
    },
    "buses": {
        "a": [
            "Los buses troncales pasan cada veinte minutos y llenos hasta la puerta.",
            "Necesitamos más buses en hora pico, uno va como sardina.",
            "Que los articulados no se salten las estaciones cuando van llenos.",
            "Aumenten la frecuencia de las rutas alimentadoras.",
            "Los conductores arrancan sin dejar que la gente se baje.",
            "Carriles exclusivos para que el bus no quede en el trancón.",
            "Reparen los buses que se varan en plena vía.",
        ],
        "b": [
            "Mi barrio quedó sin ruta desde que quitaron el bus provisional.",
            "Devuelvan las rutas que llegaban a las lomas.",
            "Que haya rutas nocturnas para los que salimos tarde del trabajo.",
            "Las rutas zonales dan mil vueltas antes de llegar al centro.",
            "La ruta del barrio solo pasa hasta las ocho de la noche.",
            "Pongan información en los paraderos de a qué hora pasa la ruta.",
            "Que las busetas lleguen a las veredas de la periferia.",
        ],
        "bits": ["mas buses", "la ruta", "el articulado", "bus lleno", "la troncal", "paraderos"],
    },
    "bicicleta": {
        "a": [
            "Hagan ciclorrutas separadas de los carros con bolardos, no solo pintura.",
            "Conecten las ciclorrutas, se acaban de la nada en mitad de la avenida.",
            "Que la ciclovía dominical se extienda a más barrios.",
            "Las bicicletas necesitamos carriles seguros hasta las universidades.",
            "Las ciclorrutas están llenas de huecos y de vendedores.",
            "Reduzcan la velocidad de los carros en las calles con ciclistas.",
            "Pinten y señalicen mejor los cruces de la ciclorruta.",
        ],
        "b": [
            "Pongan cicloparqueaderos vigilados en las estaciones.",
            "Que vuelva el sistema de bicicletas compartidas con más estaciones.",
            "A mí ya me robaron dos bicicletas en la estación, necesitamos bicicleteros seguros.",
            "Dejen subir la bicicleta al metro y al cable en cualquier horario.",
            "Duchas y casilleros en las oficinas para el que llega en bici.",
            "Un registro de bicicletas para recuperar las robadas.",
            "Préstamo de bicicletas eléctricas para subir a las lomas.",
        ],
        "bits": ["ciclorrutas", "bici", "bike lanes", "cicloparqueadero", "la ciclovía"],
    },
    "tarifas": {
        "a": [
            "Tarifa diferencial para estudiantes, el pasaje se come la mitad de la mesada.",
            "Que los adultos mayores viajen gratis en todo el sistema.",
            "Subsidio al pasaje para la gente de estratos uno y dos.",
            "El pasaje subió otra vez y el salario no alcanza.",
            "Que el pasaje sea gratis para las personas con discapacidad.",
            "Congelen la tarifa por dos años.",
            "Un abono mensual con descuento para el que viaja todos los días.",
        ],
        "b": [
            "Que se pueda pagar el pasaje con el celular o con tarjeta débito.",
            "Más puntos de recarga de la tarjeta en los barrios.",
            "Que el saldo de la tarjeta no se pierda si se daña.",
            "Transbordos gratis durante una hora con la misma tarjeta.",
            "Que la tarjeta sirva también en el cable y en los buses zonales.",
            "Las máquinas de recarga siempre están dañadas.",
            "Permitan el pasaje a crédito cuando la tarjeta queda sin saldo.",
        ],
        "bits": ["el pasaje", "pasaje caro", "tarifa", "la tarjeta", "recargas", "subsidio"],
    },
    "acoso_seguridad": {
        "a": [
            "El acoso a las mujeres en los buses es diario y nadie hace nada.",
            "Vagones exclusivos para mujeres en hora pico.",
            "Una ruta de atención rápida para denunciar el acoso en el transporte.",
            "Capaciten a los conductores para actuar cuando hay acoso.",
            "Pongan avisos contra el acoso en todos los buses.",
            "Que las denuncias de acoso tengan respuesta y castigo.",
            "A mi hija la manosearon en el bus y nadie la ayudó.",
        ],
        "b": [
            "En las estaciones roban celulares a toda hora.",
            "Más policías y cámaras en los portales por la noche.",
            "Los colados entran en combo y amenazan a la gente.",
            "Iluminen los paraderos, de noche da miedo esperar el bus.",
            "Botones de pánico en las estaciones conectados con la policía.",
            "Los vendedores ambulantes ayudan a los ladrones a robar.",
            "Seguridad en los puentes que llegan a las estaciones.",
        ],
        "bits": ["acoso", "robos", "inseguridad", "cámaras", "policía", "atracos"],
    },
    "peatones_accesibilidad": {
        "a": [
            "Los andenes están rotos y las motos se suben a ellos.",
            "Más cruces peatonales a nivel con semáforo y menos puentes.",
            "Que el tiempo del semáforo alcance para que cruce un abuelo.",
            "Quiten los carros parqueados encima de los andenes.",
            "Alumbrado en las calles para caminar de noche sin miedo.",
            "Que las esquinas tengan rampas en todo el barrio.",
            "Calles peatonales en el centro los fines de semana.",
        ],
        "b": [
            "Las estaciones no tienen ascensor y yo uso silla de ruedas.",
            "Pongan losetas guía y avisos sonoros para las personas ciegas.",
            "Que los buses tengan rampa y que funcione.",
            "Los puentes peatonales son imposibles para personas con discapacidad.",
            "Sillas preferenciales que de verdad se respeten.",
            "Los anuncios del bus deben ser también en letras y en voz.",
            "Los perros guía deben poder entrar a todo el transporte.",
        ],
        "bits": ["andenes", "peatones", "silla de ruedas", "rampas", "cruces", "ascensores"],
    },
    "aire_ambiente": {
        "a": [
            "El aire de la ciudad está irrespirable, hay que controlar los buses que humean.",
            "Buses eléctricos en toda la flota, no más diésel.",
            "Declaren alerta ambiental cuando el aire esté malo y restrinjan carros.",
            "Mi hijo tiene asma por el smog de la avenida.",
            "Medidores de calidad del aire en todos los barrios.",
            "Saquen de circulación las volquetas viejas que echan humo negro.",
            "Incentivos para carros y motos eléctricas.",
        ],
        "b": [
            "Siembren árboles en los separadores y los corredores de buses.",
            "Controlen el ruido de las motos con el exosto abierto.",
            "Más zonas verdes y menos cemento en las obras de movilidad.",
            "Un día sin carro cada mes.",
            "Corredores verdes a lo largo de las quebradas.",
            "Que las obras no talen los árboles viejos.",
            "Prohíban el pito de los carros en zonas de hospitales.",
        ],
        "bits": ["smog", "contaminación", "buses eléctricos", "el aire", "humo", "árboles"],
    },
    "trafico_obras": {
        "a": [
            "El trancón de la avenida es de dos horas todos los días.",
            "Sincronicen los semáforos, uno para en cada esquina.",
            "Ajusten el pico y placa, así como está no sirve.",
            "Pongan agentes de tránsito en los cruces críticos en hora pico.",
            "Retiren los carros mal parqueados que cierran un carril.",
            "Reversibles en las avenidas en hora pico.",
            "Que los camiones grandes no entren a la ciudad de día.",
        ],
        "b": [
            "Las obras llevan años y no terminan ninguna.",
            "Tapen los huecos de las calles del barrio.",
            "Que las obras se hagan de noche para no bloquear la ciudad.",
            "Multen a los contratistas que dejan las calles rotas.",
            "Las calles quedan peor después de cada obra de acueducto.",
            "Informen los desvíos de las obras con tiempo.",
            "Terminen el puente que lleva cinco años en obra negra.",
        ],
        "bits": ["trancón", "huecos", "obras", "pico y placa", "semáforos", "tráfico"],
    },
    "motos": {
        "a": [
            "Legalicen el mototaxismo, es el trabajo de miles de familias.",
            "Quiten el pico y placa a las motos de trabajo.",
            "No prohíban el parrillero hombre, eso no baja los robos.",
            "Que haya parqueaderos para motos cerca del centro.",
            "Carriles exclusivos para motos en las avenidas.",
            "Que el SOAT de las motos no sea tan caro.",
            "Formalicen a los mototaxistas con seguro y chaleco.",
        ],
        "b": [
            "Las motos van a toda velocidad entre los carros y matan peatones.",
            "Más controles a los motociclistas sin casco ni papeles.",
            "Cursos obligatorios de conducción segura para motociclistas.",
            "Los domiciliarios en moto manejan como locos por las apps.",
            "Controlen a las motos que se suben a los andenes.",
            "Las motos con escape abierto no dejan dormir.",
            "Castigo a los motociclistas que se vuelan los semáforos.",
        ],
        "bits": ["motos", "mototaxi", "parrillero", "motociclistas", "domiciliarios"],
    },
    "taxis_plataformas": {
        "a": [
            "Legalicen las plataformas como Uber, DiDi e inDrive.",
            "Que las apps de transporte paguen impuestos y tengan seguro.",
            "Dejen trabajar a los conductores de plataformas sin perseguirlos.",
            "Una regulación clara para las plataformas de transporte.",
            "Que las plataformas respondan cuando un conductor comete un delito.",
            "Los conductores de apps también necesitan seguridad social.",
            "Permitan pagar el taxi por la app con tarjeta.",
        ],
        "b": [
            "Los taxistas no paran o cobran lo que quieren.",
            "Que los taxis usen taxímetro siempre, también en el aeropuerto.",
            "Los taxis no quieren llevar a la gente a los barrios del sur.",
            "Botón de pánico y cámara en los taxis.",
            "Revisen los taxis viejos que están en mal estado.",
            "Que los taxistas conozcan la ciudad y no pidan indicaciones.",
            "Tarifa nocturna clara y publicada en el taxi.",
        ],
        "bits": ["taxis", "uber", "plataformas", "taxímetro", "apps", "taxistas"],
    },
}

TOPIC_NAMES = list(TOPICS)

# Slogans copied by thousands (the campaign's topic first).
SLOGANS = [
    ("metro", "#MetroPorElSurYa 🚇"),
    ("metro", "Metro subterráneo YA, no más promesas"),
    ("buses", "#MásBusesMenosSardinas 🚌"),
    ("bicicleta", "Ciclorrutas seguras ya 🚲🚲 #LaBiciEsMovilidad"),
    ("tarifas", "Tarifa diferencial para estudiantes ✊ #PasajeJusto"),
    ("tarifas", "#PasajeJusto el pasaje no puede costar más que el almuerzo"),
    ("acoso_seguridad", "#NoMásAcosoEnElBus 💜 queremos viajar tranquilas"),
    ("peatones_accesibilidad", "Andenes para caminar, no para parquear #CiudadCaminable"),
    ("aire_ambiente", "#RespirarNoEsUnLujo buses eléctricos ya ⚡"),
    ("trafico_obras", "Terminen las obras!! #NiUnAñoMás"),
    ("motos", "#MototaxiEsTrabajo 🏍️ no nos persigan"),
    ("taxis_plataformas", "Legalicen las plataformas #UberSí #DiDiSí"),
]

PETITION_HEADS = [
    "Petición ciudadana a la Secretaría de Movilidad:",
    "Firmé esta petición en línea y la comparto:",
    "Señor alcalde, los vecinos del barrio {barrio} le pedimos:",
    "Colectivo {colectivo} — pliego ciudadano:",
    "Carta abierta de los usuarios de la ruta {ruta}:",
]

PETITION_TAILS = [
    "Ya somos {n} firmantes. Compártela.",
    "Firma y comparte, la ciudad es de todos.",
    "Esperamos respuesta antes del cierre de la consulta.",
    "",
]

BARRIOS = [
    "Kennedy",
    "Bosa",
    "Manrique",
    "Aranjuez",
    "Rebolo",
    "Siloé",
    "El Bosque",
    "Suba Rincón",
    "Ciudad Bolívar",
    "Robledo",
    "La Chinita",
    "Agua Blanca",
    "Usme",
    "Castilla",
    "Belén",
]

COLECTIVOS = [
    "Bici Sur",
    "Mujeres en Movimiento",
    "Peatones Primero",
    "Aire Limpio",
    "Usuarios Unidos",
    "Estudiantes por el Pasaje",
    "Mototrabajadores",
]

REGIONAL = [
    "parce",
    "qué boleta",
    "ave maría",
    "uy no",
    "mijo",
    "ajá",
    "nojoda",
    "ome",
    "mor",
    "qué chimba sería",
    "juemadre",
    "pues",
    "bacano",
    "qué pereza",
    "ve",
]

SPANGLISH = [
    ("muy", "super"),
    ("lleno", "full"),
    ("por favor", "please"),
    ("rápido", "ASAP"),
    ("bicicleta", "bike"),
    ("tarde", "late"),
    ("trabajo", "job"),
]

ENGLISH_TAGS = ["lol", "bro", "literally", "so sad", "WTF", "nice", "for real", "OMG"]

EMOJIS = ["😡", "🙏", "👏", "🔥", "💯", "😤", "🤬", "❤️", "😭", "👍", "🙄", "🚌", "🚲", "🚇"]

CITIES = [
    ("11", "Bogotá"),
    ("05", "Medellín"),
    ("76", "Cali"),
    ("08", "Barranquilla"),
    ("68", "Bucaramanga"),
    ("13", "Cartagena"),
    ("25", "Soacha"),
    ("54", "Cúcuta"),
]
CITY_WEIGHTS = [8, 5, 4, 3, 2, 2, 1, 1]
