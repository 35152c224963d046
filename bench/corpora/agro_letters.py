"""Boilerplate of the agrarian corpus's mail-merge campaign letters.

A handful of preambles and closings, written as the legal-sounding letters that organisations
pass round: many campaigns, on different topics, use the same wording with only the sender's name
changed, so that boilerplate outweighs the demands. Slots: ``{sender}``, ``{m}`` municipality,
``{dep}`` department, ``{date}``, ``{families}``, ``{signatures}``.
"""

from __future__ import annotations

PREAMBLES = [
    (
        "Señores Ministerio de Agricultura y Desarrollo Rural, equipo de la Consulta Nacional "
        "Agraria. Reciban un cordial saludo. Nosotros, los integrantes de la {sender}, del "
        "municipio de {m}, departamento de {dep}, reunidos en asamblea general el día {date}, y "
        "en ejercicio del derecho fundamental de petición consagrado en el artículo 23 de la "
        "Constitución Política de Colombia, nos permitimos presentar de manera respetuosa las "
        "siguientes propuestas, que recogen el sentir de las familias campesinas de nuestro "
        "territorio, históricamente olvidadas por el Estado colombiano:"
    ),
    (
        "Respetados señores del Gobierno Nacional. La {sender}, organización de base que agrupa "
        "a {families} familias del municipio de {m} ({dep}), en cumplimiento de lo acordado en "
        "la reunión comunitaria del {date}, se dirige a ustedes para hacer llegar su voz a la "
        "construcción del pacto por el campo. Somos hombres y mujeres que vivimos de la tierra, "
        "que producimos los alimentos que llegan a las ciudades y que por años hemos esperado "
        "que el Estado cumpla con nosotros. Por eso presentamos los siguientes puntos:"
    ),
    (
        "Ciudad de {m}, {date}. Asunto: aportes a la Consulta Nacional Agraria. Cordial saludo. "
        "Por medio de la presente, la {sender} se permite participar en este proceso de "
        "consulta, con la convicción de que la paz se construye desde los territorios y de que "
        "el campo colombiano merece un trato digno. Las comunidades del departamento de {dep} "
        "hemos discutido en varias jornadas de trabajo cuáles son nuestras necesidades más "
        "sentidas, y de manera unánime acordamos que el Gobierno Nacional debe atender lo "
        "siguiente:"
    ),
    (
        "A quien corresponda. Los abajo firmantes, miembros de la {sender}, jurisdicción del "
        "municipio de {m}, {dep}, mayores de edad e identificados como aparece al pie de "
        "nuestras firmas, acudimos a esta consulta pública porque creemos en la participación "
        "ciudadana y porque las decisiones sobre el campo no se pueden tomar sin los campesinos. "
        "Después de un ejercicio de diálogo realizado el {date} con {families} familias de la "
        "zona, elevamos las siguientes solicitudes:"
    ),
    (
        "Honorables funcionarios. Desde la {sender}, en {m}, departamento de {dep}, enviamos "
        "un saludo fraterno y campesino. Este documento fue construido colectivamente el {date} "
        "en una jornada en la que participaron {families} familias, líderes, lideresas, jóvenes "
        "y mayores de la comunidad, y expresa lo que el territorio necesita para que el campo "
        "deje de ser el último en la lista de prioridades del país. Nuestras peticiones son:"
    ),
]

CLOSINGS = [
    (
        "Firmamos los abajo firmantes, mayores de edad, en representación de nuestras familias, "
        "y anexamos {signatures} firmas recogidas en la vereda como constancia del respaldo a "
        "estas propuestas. Solicitamos que se nos dé respuesta de fondo dentro de los términos "
        "de ley, a la dirección de la sede comunal o al correo de la junta. Agradecemos su "
        "atención y quedamos atentos a su pronta respuesta. Cordialmente, la comunidad "
        "organizada."
    ),
    (
        "Estas propuestas cuentan con el respaldo de {signatures} firmas de campesinos y "
        "campesinas de la región, cuyas planillas originales reposan en el archivo de la "
        "organización y pueden ser consultadas por la entidad. Esperamos que esta vez nuestra "
        "voz sea tenida en cuenta y que los compromisos que se adquieran se cumplan. Para "
        "notificaciones, favor dirigirse a la presidencia de la organización. Atentamente, los "
        "firmantes."
    ),
    (
        "En constancia de lo anterior firmamos en {m} a los {date}. Anexamos {signatures} "
        "firmas con nombre completo y número de cédula de ciudadanía de cada uno de los "
        "firmantes, quienes autorizan el uso de esta información únicamente para efectos de la "
        "presente consulta. Agradecemos de antemano la atención prestada a esta petición "
        "colectiva y reiteramos nuestra disposición al diálogo con el Gobierno Nacional."
    ),
    (
        "Sin otro particular, nos suscribimos esperando una respuesta oportuna y de fondo, tal "
        "como lo ordena la ley del derecho de petición. Se anexan {signatures} firmas de "
        "respaldo de los habitantes de la zona. Copia de esta carta se envía a la Gobernación, a "
        "la Alcaldía Municipal, a la Personería y a la Defensoría del Pueblo para su "
        "conocimiento y seguimiento. Cordialmente, la junta directiva y los afiliados."
    ),
]

# Sentences a signer adds to a copy before sending it.
PERSONAL = [
    "Yo también firmo porque mi familia vive esto todos los días.",
    "Apoyo esta carta, mi finca queda en la misma vereda.",
    "Comparto todo lo que dice la junta.",
    "Por favor lean esto, no es una carta más.",
    "Yo soy uno de los afectados.",
    "Reenvío la carta de nuestra organización.",
    "Mi mamá y yo respaldamos estas peticiones.",
]
