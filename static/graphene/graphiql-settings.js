// graphene-django's GraphiQL settings, read from the page's data attributes instead of an inline
// <script> (the Content-Security-Policy runs no inline script). Loaded before graphene_django/graphiql.js.
(function () {
  var data = document.getElementById("editor").dataset;
  var settings = {
    graphiqlHeaderEditorEnabled: data.headerEditorEnabled === "true",
    graphiqlShouldPersistHeaders: data.shouldPersistHeaders === "true",
    graphiqlInputValueDeprecation: data.inputValueDeprecation === "true",
  };
  if (data.subscriptionPath) {
    settings.subscriptionPath = data.subscriptionPath;
  }
  window.GRAPHENE_SETTINGS = settings;
})();
