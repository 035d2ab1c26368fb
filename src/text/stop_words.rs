//! Stop words per language: the function words too common to search for alone (articles,
//! pronouns, prepositions, conjunctions, common auxiliaries). Written as the language
//! writes them; [`super::Language`] folds and sorts them once. Kept short on purpose:
//! a stop word is still counted for phrase positions, and a word left out of a list
//! only costs index space.

/// English: the list the search index has always used (`search.js` reads it from
/// `meta.json`), unchanged so English results stay as they were.
pub(super) const EN: &[&str] = &[
    "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but",
    "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he", "her", "him",
    "his", "if", "in", "into", "is", "it", "its", "more", "no", "not", "of", "on", "one", "or",
    "our", "out", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "to", "was", "we", "were", "what", "when", "which", "who", "will",
    "with", "would", "you",
];

/// Spanish.
pub(super) const ES: &[&str] = &[
    "a", "al", "algo", "algunos", "ante", "antes", "aquí", "así", "cada", "como", "con", "contra",
    "cual", "cuando", "de", "del", "desde", "donde", "durante", "e", "el", "él", "ella", "ellas",
    "ellos", "en", "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta",
    "está", "están", "estas", "este", "esto", "estos", "fue", "fueron", "ha", "han", "hasta",
    "hay", "la", "las", "le", "les", "lo", "los", "más", "me", "mi", "muy", "ni", "no", "nos",
    "nosotros", "o", "otra", "otro", "para", "pero", "por", "porque", "que", "qué", "se", "sea",
    "ser", "si", "sí", "sin", "sobre", "son", "su", "sus", "también", "te", "tiene", "todo",
    "todos", "tu", "un", "una", "uno", "unos", "y", "ya", "yo",
];

/// French.
pub(super) const FR: &[&str] = &[
    "à", "au", "aux", "avec", "ce", "ces", "cet", "cette", "comme", "dans", "de", "des", "du",
    "elle", "elles", "en", "est", "et", "été", "être", "eu", "il", "ils", "je", "la", "le", "les",
    "leur", "leurs", "lui", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos", "notre",
    "nous", "on", "ont", "ou", "où", "par", "pas", "plus", "pour", "qu", "que", "qui", "sa",
    "sans", "se", "ses", "son", "sont", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une",
    "vos", "votre", "vous", "y",
];

/// German.
pub(super) const DE: &[&str] = &[
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "da", "das", "dass",
    "dem", "den", "der", "des", "die", "doch", "du", "durch", "ein", "eine", "einem", "einen",
    "einer", "eines", "er", "es", "für", "hat", "hatte", "ich", "ihr", "ihre", "im", "in", "ist",
    "ja", "kann", "mit", "nach", "nicht", "noch", "nur", "oder", "sich", "sie", "sind", "so",
    "über", "um", "und", "uns", "unter", "vom", "von", "vor", "war", "waren", "was", "wenn",
    "werden", "wie", "wir", "wird", "wurde", "zu", "zum", "zur",
];

/// Portuguese.
pub(super) const PT: &[&str] = &[
    "a", "ao", "aos", "as", "à", "às", "com", "como", "da", "das", "de", "dele", "do", "dos", "e",
    "é", "ela", "elas", "ele", "eles", "em", "entre", "era", "essa", "esse", "esta", "está",
    "este", "eu", "foi", "há", "isso", "isto", "já", "lhe", "mais", "mas", "me", "mesmo", "na",
    "nas", "não", "nem", "no", "nos", "nós", "num", "numa", "o", "os", "ou", "para", "pela",
    "pelo", "por", "quando", "que", "se", "sem", "ser", "seu", "seus", "só", "sua", "suas",
    "também", "te", "tem", "um", "uma", "você",
];

/// Italian.
pub(super) const IT: &[&str] = &[
    "a", "ad", "agli", "ai", "al", "alla", "alle", "anche", "che", "chi", "ci", "come", "con",
    "da", "dal", "dalla", "de", "degli", "dei", "del", "della", "delle", "di", "e", "è", "ed",
    "era", "gli", "ha", "hanno", "ho", "i", "il", "in", "io", "la", "le", "lei", "li", "lo",
    "loro", "lui", "ma", "mi", "ne", "negli", "nel", "nella", "non", "o", "per", "più", "quella",
    "quello", "questa", "questo", "se", "si", "sono", "su", "sua", "sul", "sulla", "suo", "ti",
    "tra", "tu", "un", "una", "uno",
];

/// Arabic (written without diacritics: folding removes them).
pub(super) const AR: &[&str] = &[
    "أن",
    "أو",
    "إلى",
    "إن",
    "التي",
    "الذي",
    "الذين",
    "ثم",
    "حتى",
    "على",
    "عن",
    "عند",
    "غير",
    "في",
    "قد",
    "كان",
    "كانت",
    "كل",
    "لا",
    "لم",
    "لن",
    "له",
    "لها",
    "ما",
    "مع",
    "من",
    "هذا",
    "هذه",
    "هو",
    "هي",
    "و",
    "يا",
];
