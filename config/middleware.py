import time
from contextlib import ExitStack

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show an
    official whose browser happens to be in English an English page they never asked for.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ServerTimingMiddleware:
    """A Server-Timing header on every response: time in the app, time and queries in SQL.

    Only for measuring (`make bench`): installed first in MIDDLEWARE when SERVER_TIMING is on, so
    it counts what every other middleware does too. Queries are counted with an execute wrapper,
    which works with DEBUG off, unlike connection.queries. The body of a streaming response is
    made after the header is sent: its queries are not counted.
    """

    def __init__(self, get_response):
        if not settings.SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        tally = _QueryTally()
        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(tally))
            response = self.get_response(request)
        app_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'app;dur={app_ms:.1f}, db;dur={tally.seconds * 1000:.1f};desc="{tally.count} queries"'
        )
        return response


class _QueryTally:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started
