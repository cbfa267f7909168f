"""Everyday English words: a title made only of these is blanked only where capitalised."""

from __future__ import annotations

# Chosen by hand: words common in ordinary review prose that are also common in titles.
_COMMON = """
a about above across act action after again against age ago air all almost alone along already
also always am america american among an and angel angels angry animal animals another any
anything are arm army around art as ask at away baby back bad ball bang bank battle be beach
bear beast beautiful beauty because bed been before begin beginning behind being believe below
best better between beyond big bird birds bite black blood blue boat body bone book born both
box boy boys brave break bride bright bring broken brother brothers brown bus business but buy
by call called came can car care case cat catch cause center chance change child children
christmas city class clean clear close club cold color come comes coming company cop cops could
country couple course crazy crime cross cry cut dad dance danger dark darkness daughter day
days dead deadly deal dear death deep desire devil did die dinner do doctor does dog dogs doing
done door double down dream dreams dress drive drop dry during each early earth east easy eat
edge eight else empty end enemy escape even evening ever every everybody everyone everything
evil eye eyes face fall family far fast fat father fear feel fever few field fight fighting
film final find fire first fish five flight fly follow food fool for force forever forget
forgotten found four free friday friend friends from front full fun funny game games garden get
getting ghost ghosts gift girl girls give glass go god gods going gold golden gone good got
great green ground group grow guy guys had half hand hands happy hard has have he head heart
heat heaven hell her here hero heroes high him his history hit hold hole holiday home honey
hope horse hot hotel hour house how human hundred hunt hunter i ice if in inside into is island
it its jack job journey joy just keep kid kids kill killer killing kind king kingdom kiss
knight know lady land last late law lay learn leave left legend less let letter life light like
line little live lives living long look looking lost lot love lovers low luck lucky machine mad
made make maker making man many map mark married master may me men midnight might mind mine
miss mission moment money monster month moon more morning most mother mountain move movie mr
mrs much murder music must my mystery name national nature near need never new news next nice
night nine no nobody none north not nothing now number of off office old on once one only open
or order other our out over own paper paradise paris part party pass past people perfect person
picture piece place plan planet play point police poor power president pretty prince princess
prison private public queen quick quiet race rain raise ran rather read ready real red remember
rest return revenge rich ride right ring rise river road rock room rose round royal rules run
running sad safe said saint same save saw say school sea season second secret see seven shadow
shadows shall she ship shoot short shot should show side sign silence silent simple since
single sister six sky sleep slow small smile snow so soldier some someone something son song
soul sound south space speed spirit spring stand star stars start state stay step still stop
stories storm story strange stranger street strong such summer sun sunday sure sweet table take
taken tale tales talk tall teacher team tell ten than that the their them then there these they
thing things think third this those thousand three through thunder time to today together told
tomorrow tonight too top touch town toy train travel tree trip trouble true truth try turn
twelve twenty two under until up upon us very voice wait walk wall want war was watch water way
we wedding week well went were west what when where which while white who whole why wild will
win wind window winter wish with within without woman women wonder wood word work world would
year years yellow yes yesterday yet you young your
"""

# Articles and prepositions of other languages, frequent in alternate titles and in names
# ("Guillermo del Toro" in a review of "Pan's Labyrinth", "El laberinto del fauno"): they give
# nothing away on their own.
_FOREIGN = """
das dei del della delle dem den der des die dos ein eine las les los por sur una une und von
"""

COMMON_WORDS = frozenset(_COMMON.split()) | frozenset(_FOREIGN.split())

# Words a capitalised title may write in lower case ("Gone with the Wind").
_MINOR = "a an and as at by for from in into is of on or the to vs with"
MINOR_WORDS = frozenset(_MINOR.split())
