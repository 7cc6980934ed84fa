"""Every sentence the bot itself says, in English and Spanish.

The explainers are corpus content; these are the bot's own words (labels, notices, the decline
message). Keeping them in one catalogue means no screen can be English-only by accident, and a
test checks that every key has both languages.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "decline": {
        # Every surface shows this (widget, pages, CLI, API), and not all of them list the topics right
        # under it, so it points to "all topics" by name rather than to "the topics below".
        "en": "I'm not sure I can answer that, and I don't want to guess. "
        "Try other words, see all topics, or get free help.",
        "es": "No sé si puedo responder eso y no quiero adivinar. "
        "Pruebe con otras palabras, vea todos los temas o busque ayuda gratuita.",
    },
    # A decline for a subject the corpus knows it does not cover ("how do I renew DACA"): other words
    # would not help, so it says so and sends the person to the help listed with it.
    "decline.out-of-scope": {
        "en": "This chat does not seem to cover that subject, and I don't want to guess. "
        "Try the free help here, or see all topics.",
        "es": "Parece que este chat no cubre ese tema, y no quiero adivinar. "
        "Busque la ayuda gratuita de aquí o vea todos los temas.",
    },
    # A decline for words of despair or abuse at home: not "try other words", but the line to call.
    "decline.crisis": {
        "en": "I'm sorry you are going through this. You don't have to face it alone. "
        "Call or text 988 now: it is free, open day and night, and in Spanish too. "
        "If you are in danger right now, call 911.",
        "es": "Siento mucho que esté pasando por esto. No tiene que enfrentarlo sin ayuda. "
        "Llame o escriba al 988 ahora: es gratis, atiende de día y de noche, y en español. "
        "Si corre peligro en este momento, llame al 911.",
    },
    "decline.domestic-violence": {
        "en": "You deserve to be safe. The National Domestic Violence Hotline helps anyone, "
        "whatever their immigration status, and in Spanish too. If you are in danger right now, call 911.",
        "es": "Usted merece estar a salvo. La Línea Nacional contra la Violencia Doméstica ayuda a cualquier "
        "persona, sin importar su estatus migratorio, y en español. Si corre peligro en este momento, llame al 911.",
    },
    "decline.greeting": {
        "en": "Hello. I can explain what the IRS may share with ICE, whether it is safe to file with an ITIN, "
        "and where to get free help. Type your question in your own words, or pick a topic.",
        "es": "Hola. Puedo explicarle qué puede compartir el IRS con ICE, si es seguro declarar con ITIN "
        "y dónde conseguir ayuda gratis. Escriba su pregunta con sus propias palabras o elija un tema.",
    },
    "decline.thanks": {
        "en": "You're welcome. If you have another question, type it here. Free help is listed below.",
        "es": "De nada. Si tiene otra pregunta, escríbala aquí. Abajo tiene ayuda gratuita.",
    },
    "notice.personal-data": {
        "en": "Your question seemed to include personal details (like a number, an address, a date of birth or a name). "
        "We removed them before answering and kept nothing. Please don't type personal details here.",
        "es": "Su pregunta parecía incluir datos personales (como un número, una dirección, una fecha de nacimiento o un nombre). "
        "Los quitamos antes de responder y no guardamos nada. Por favor, no escriba datos personales aquí.",
    },
    "notice.language-fallback": {
        "en": "This topic is not available in English yet, so it is shown in Spanish.",
        "es": "Este tema todavía no está disponible en español, así que se muestra en inglés.",
    },
    "warn.personal-data": {
        "en": "It looks like your question includes personal details. You don't need them to get an answer. "
        "Please remove them before sending.",
        "es": "Parece que su pregunta incluye datos personales. No los necesita para recibir una respuesta. "
        "Por favor, quítelos antes de enviar.",
    },
    "urgent.banner": {
        "en": "If this is happening now: stay calm and do not sign anything. If agents are at the door, do not open it. "
        "Call a lawyer or a rapid-response hotline.",
        "es": "Si esto está pasando ahora: mantenga la calma y no firme nada. Si hay agentes en la puerta, no la abra. "
        "Llame a un abogado o a una línea de respuesta rápida.",
    },
    "error.too-large": {
        "en": "That message is too large. Please ask a shorter question.",
        "es": "El mensaje es demasiado grande. Por favor, haga una pregunta más corta.",
    },
    "error.rate-limited": {
        "en": "Too many questions in a short time. Please wait a minute and try again.",
        "es": "Demasiadas preguntas en poco tiempo. Por favor, espere un minuto y vuelva a intentarlo.",
    },
    "error.lifelines": {
        "en": "If you are in danger now, call:",
        "es": "Si está en peligro ahora, llame:",
    },
    "error.empty": {
        "en": "Please type a question.",
        "es": "Por favor, escriba una pregunta.",
    },
    "error.too-long": {
        "en": "Your question is too long (more than {limit} characters). Please make it shorter.",
        "es": "Su pregunta es demasiado larga (más de {limit} caracteres). Por favor, hágala más corta.",
    },
    "error.invalid": {
        "en": 'The request was not valid. Send JSON with a text field "question" and, if you like, "lang": "en" or "es".',
        "es": 'La solicitud no es válida. Envíe JSON con un campo de texto "question" y, si quiere, "lang": "en" o "es".',
    },
    "error.not-found": {
        "en": "That page or topic does not exist.",
        "es": "Esa página o tema no existe.",
    },
    "error.server": {
        "en": "Something went wrong on our side. Please try again.",
        "es": "Algo salió mal de nuestro lado. Por favor, vuelva a intentarlo.",
    },
    "site.title": {
        "en": "Taxes, ICE and your privacy: questions and answers",
        "es": "Impuestos, ICE y su privacidad: preguntas y respuestas",
    },
    "site.intro": {
        "en": "Ask a question about filing taxes, ITINs, and what the IRS can share with immigration. "
        "Answers come from explainers checked against official sources. Free help is listed with every answer.",
        "es": "Haga una pregunta sobre declarar impuestos, el número ITIN y lo que el IRS puede compartir con inmigración. "
        "Las respuestas vienen de textos revisados con fuentes oficiales. Con cada respuesta verá dónde conseguir ayuda gratuita.",
    },
    "label.skip": {"en": "Skip to content", "es": "Ir al contenido"},
    "label.exit": {"en": "Exit this page", "es": "Salir de esta página"},
    "label.exit-hint": {"en": "Press Shift 3 times to leave fast.", "es": "Presione Shift 3 veces para salir rápido."},
    "label.log": {"en": "Conversation", "es": "Conversación"},
    # The full page's title after a question, so a screen reader says what came back (an answer names itself).
    "title.declined": {"en": "Not sure I can answer that", "es": "No sé si puedo responder eso"},
    "title.warn": {"en": "Check your question", "es": "Revise su pregunta"},
    "label.nav": {"en": "Main", "es": "Principal"},
    "label.ask": {"en": "Ask a question", "es": "Hacer una pregunta"},
    "label.all-topics": {"en": "All topics", "es": "Todos los temas"},
    "label.switch": {"en": "Español", "es": "English"},
    "label.question": {"en": "Your question", "es": "Su pregunta"},
    "label.send": {"en": "Ask", "es": "Preguntar"},
    "label.open": {"en": "Questions about taxes and ICE?", "es": "¿Preguntas sobre impuestos e ICE?"},
    "label.close": {"en": "Close", "es": "Cerrar"},
    "label.greeting": {
        "en": "Hi. I can explain what the IRS may share with immigration (ICE), ITINs, and where to get free help. What would you like to know?",
        "es": "Hola. Puedo explicarle qué puede compartir el IRS con inmigración (ICE), qué es el ITIN y dónde conseguir ayuda gratuita. ¿Qué quiere saber?",
    },
    "label.you": {"en": "You", "es": "Usted"},
    "label.bot": {"en": "Answer", "es": "Respuesta"},
    "label.thinking": {"en": "Looking for the answer…", "es": "Buscando la respuesta…"},
    "label.both-languages": {"en": "Show in English and Spanish", "es": "Ver en español e inglés"},
    "label.helpful": {"en": "Did this help?", "es": "¿Le sirvió?"},
    "label.yes": {"en": "Yes", "es": "Sí"},
    "label.no": {"en": "No", "es": "No"},
    "label.thanks": {"en": "Thank you.", "es": "Gracias."},
    "label.state": {
        "en": "Your state (optional, stays on this device)",
        "es": "Su estado (opcional, no sale de este dispositivo)",
    },
    "label.all-states": {"en": "All states", "es": "Todos los estados"},
    "label.send-anyway": {"en": "Send anyway", "es": "Enviar de todos modos"},
    "label.edit": {"en": "Edit my question", "es": "Corregir mi pregunta"},
    "label.privacy-line": {
        "en": "This chat does not save your questions, uses no cookies and does not track you. Do not type names, numbers or "
        "addresses. On a shared phone, use a private window: the browser keeps a list of the pages you visit.",
        "es": "Este chat no guarda sus preguntas, no usa cookies y no rastrea a nadie. No escriba nombres, números ni "
        "direcciones. En un teléfono compartido, use una ventana privada: el navegador guarda una lista de las páginas que visita.",
    },
    "label.privacy-private": {
        "en": "Private mode: your questions are answered here, on this device, and never leave it. Nothing is saved, no cookies, no tracking.",
        "es": "Modo privado: sus preguntas se responden aquí, en este dispositivo, y nunca salen de él. No se guarda nada, sin cookies ni rastreo.",
    },
    "label.private-start": {
        "en": "Press the chat button at the bottom of the page to ask a question. Or pick a topic below: the topics work without JavaScript too.",
        "es": "Presione el botón de chat al final de la página para hacer una pregunta. O elija un tema de abajo: los temas también funcionan sin JavaScript.",
    },
    "label.card": {
        "en": "Print a wallet card (English and Spanish)",
        "es": "Imprimir una tarjeta de bolsillo (español e inglés)",
    },
    "label.card-cut": {
        "en": "Print this page: four cards per sheet. Cut along the dashed lines. Keep one in your wallet and one by the door.",
        "es": "Imprima esta página: cuatro tarjetas por hoja. Recorte por la línea punteada. Guarde una en su cartera y otra junto a la puerta.",
    },
    "label.card-help": {"en": "Help line", "es": "Línea de ayuda"},
    "warn.personal-data-nojs": {
        "en": "Your question seemed to include personal details, so we did not answer it and did not keep it. Please type it again without names, numbers, addresses or dates of birth, and press Ask.",
        "es": "Su pregunta parecía incluir datos personales, así que no la respondimos ni la guardamos. Escríbala otra vez sin nombres, números, direcciones ni fechas de nacimiento, y presione Preguntar.",
    },
    "error.offline": {
        "en": "Could not reach the server. Check your connection and try again.",
        "es": "No se pudo conectar con el servidor. Revise su conexión y vuelva a intentarlo.",
    },
    "label.summary": {"en": "Short answer", "es": "Respuesta corta"},
    "label.more": {"en": "Read the full explanation", "es": "Leer la explicación completa"},
    "label.sources": {"en": "Sources", "es": "Fuentes"},
    "label.reviewed": {"en": "Reviewed on {date}", "es": "Revisado el {date}"},
    "label.not-advice": {
        "en": "General information, not legal advice. For your own case, talk to a lawyer or a free legal-aid group.",
        "es": "Información general, no es asesoría legal. Para su caso, hable con un abogado o una organización de ayuda legal gratuita.",
    },
    "label.help": {"en": "Where to get free help", "es": "Dónde conseguir ayuda gratuita"},
    "label.suggestions": {"en": "You may also want to know", "es": "También le puede interesar"},
    "label.topics": {"en": "Topics I can help with", "es": "Temas con los que puedo ayudar"},
    "label.urgent": {"en": "Urgent", "es": "Urgente"},
    "label.phone": {"en": "Phone", "es": "Teléfono"},
    "label.call": {"en": "Call {name}:", "es": "Llame a {name}:"},
    "label.answer-lang": {"en": "Answer in", "es": "Responder en"},
    "label.lang-auto": {"en": "the language of my question", "es": "el idioma de mi pregunta"},
    "label.website": {"en": "Website", "es": "Sitio web"},
}


def t(key: str, lang: str, **values: str) -> str:
    """The message `key` in `lang` (English if the language is unknown), with `{name}` filled in."""
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def catalogue(lang: str) -> dict[str, str]:
    """Every message in one language, as the templates and the widget take them (a new dict each call)."""
    return {key: entry[lang] for key, entry in CATALOGUE.items()}
