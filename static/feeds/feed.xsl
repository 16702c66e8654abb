<?xml version="1.0" encoding="utf-8"?>
<!-- INO Tomsk: the news feeds (RSS 2.0 and Atom) as a page a browser shows, saying how to
     subscribe. Feed readers ignore it. English or Russian, by the feed's own language. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="no"/>

  <xsl:variable name="lang">
    <xsl:choose>
      <xsl:when test="starts-with(/rss/channel/language, 'ru') or starts-with(/atom:feed/@xml:lang, 'ru')">ru</xsl:when>
      <xsl:otherwise>en</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="ru" select="$lang = 'ru'"/>
  <xsl:variable name="kind"><xsl:choose><xsl:when test="/rss">RSS</xsl:when><xsl:otherwise>Atom</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="self" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
  <xsl:variable name="site" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>

  <xsl:template match="/">
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap header-inner">
            <a class="brand" href="{$site}">
              <span class="brand-mark"><xsl:choose><xsl:when test="$ru">ИНО</xsl:when><xsl:otherwise>INO</xsl:otherwise></xsl:choose></span>
              <span class="brand-name"><xsl:choose><xsl:when test="$ru">Томск</xsl:when><xsl:otherwise>Tomsk</xsl:otherwise></xsl:choose></span>
            </a>
          </div>
        </header>
        <main id="main" class="wrap feed-page">
          <h1><xsl:value-of select="$title"/></h1>
          <section class="feed-howto" aria-labelledby="howto">
            <xsl:choose>
              <xsl:when test="$ru">
                <h2 id="howto">Как подписаться</h2>
                <p>Это лента новостей (<xsl:value-of select="$kind"/>). Скопируйте её адрес и добавьте его в программу или приложение для чтения лент — новые статьи будут приходить туда сами.</p>
              </xsl:when>
              <xsl:otherwise>
                <h2 id="howto">How to subscribe</h2>
                <p>This is a news feed (<xsl:value-of select="$kind"/>). Copy its address into your feed reader app or service, and new articles will arrive there by themselves.</p>
              </xsl:otherwise>
            </xsl:choose>
            <p class="feed-address"><code><xsl:value-of select="$self"/></code></p>
            <p><a href="{$site}"><xsl:choose><xsl:when test="$ru">Эти новости на сайте</xsl:when><xsl:otherwise>These news on the website</xsl:otherwise></xsl:choose></a></p>
          </section>
          <h2><xsl:choose><xsl:when test="$ru">Последние статьи</xsl:when><xsl:otherwise>Latest articles</xsl:otherwise></xsl:choose></h2>
          <ul class="row-list feed-items">
            <xsl:for-each select="/rss/channel/item | /atom:feed/atom:entry">
              <li>
                <h3 class="card-title"><a href="{link | atom:link[@rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h3>
                <p class="meta"><xsl:value-of select="substring(pubDate, 1, 16)"/><xsl:value-of select="substring(atom:updated, 1, 10)"/></p>
                <p><xsl:value-of select="description | atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
