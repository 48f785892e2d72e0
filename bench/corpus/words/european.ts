/**
 * French, German, Spanish and Russian words in rough frequency order. The accented ones matter: the index folds
 * diacritics, and the tokenizer scenario checks that "probleme" finds "problème".
 */
const words = (text: string): readonly string[] => text.split(/\s+/).filter(Boolean)

export const FRENCH_WORDS = words(`le la les de des un une et est à en que qui pour dans ce il je pas ne sur
avec au du se vous nous on plus mais ou son sa par être fait très où déjà même après ça
problème fichier fonction erreur données serveur requête base table colonne paramètre mémoire
sécurité répertoire créer modifier supprimer vérifier exécuter déployer tester corriger améliorer
résultat réponse méthode classe variable chaîne tableau boucle condition événement élément
dépendance bibliothèque configuration développement environnement utilisateur mot passe connexion
fenêtre écran clé valeur défaut système réseau délai échec succès début fin étape côté modèle
schéma index recherche requêtes accès droits sauvegarde restauration journal version branche
fusion conflit révision commentaire documentation exemple cas test tests intégration déploiement
voilà également peut-être toujours encore maintenant ensuite pourquoi comment bientôt hélas`)

export const GERMAN_WORDS = words(`der die das und ist nicht ein eine zu den mit für auf von sich des dem
im es auch als an wie wir ich sie du oder aber bei nach über noch nur wenn so kann muss
Lösung Änderung Schlüssel Größe möglich während Datei Funktion Fehler Daten Server Anfrage Datenbank
Tabelle Spalte Parameter Speicher Sicherheit Verzeichnis erstellen ändern löschen prüfen ausführen
bereitstellen testen beheben verbessern Ergebnis Antwort Methode Klasse Variable Zeichenkette Schleife
Bedingung Ereignis Element Abhängigkeit Bibliothek Konfiguration Entwicklung Umgebung Benutzer
Passwort Verbindung Fenster Bildschirm Wert Standard System Netzwerk Verzögerung Zeitüberschreitung
Schritt Seite Modell Schema Suche Zugriff Rechte Sicherung Wiederherstellung Protokoll Zweig
Zusammenführung Konflikt Überprüfung Kommentar Dokumentation Beispiel Fall Prüfung Integration
natürlich schließlich übrigens später früher zurück gemäß außerdem trotzdem`)

export const SPANISH_WORDS = words(`el la de que y en los se del las un por con no una su para es al lo como
más pero sus le ya o este sí porque esta entre cuando muy sin sobre también aquí está así
función configuración código número problema archivo error datos servidor consulta base tabla
columna parámetro memoria seguridad directorio crear modificar eliminar verificar ejecutar desplegar
probar corregir mejorar resultado respuesta método clase variable cadena arreglo bucle condición
evento elemento dependencia biblioteca desarrollo entorno usuario contraseña conexión ventana
pantalla clave valor predeterminado sistema red tiempo límite paso lado modelo esquema índice
búsqueda acceso permisos copia restauración registro versión rama fusión conflicto revisión
comentario documentación ejemplo caso prueba integración despliegue después todavía quizás además`)

export const RUSSIAN_WORDS = words(`и в не на что я с это как по но для он к а то из у же все ты так его
мы вы бы да только или нужно можно если уже ещё тут там когда
ошибка файл функция данные сервер запрос база таблица столбец параметр память безопасность
каталог создать изменить удалить проверить выполнить развернуть тестировать исправить улучшить
результат ответ метод класс переменная строка массив цикл условие событие элемент зависимость
библиотека конфигурация разработка окружение пользователь пароль соединение окно экран ключ
значение система сеть задержка таймаут шаг сторона модель схема индекс поиск доступ права
резервная копия восстановление журнал версия ветка слияние конфликт проверка комментарий
документация пример случай тест интеграция развёртывание пожалуйста спасибо конечно`)
