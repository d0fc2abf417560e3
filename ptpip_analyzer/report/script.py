"""The report's only script, inline: zooming the time charts and filtering the transactions
table. No network, no external file; every chart and table is complete without it.

Zoom: the wheel zooms around the pointer, dragging pans, a double click (or "reset") shows the
whole span again; the +/- buttons zoom around the middle. Charts of one ``data-group`` (a
view's timeline and throughput) zoom together, to the same seconds. Elements with ``data-t0`` (and
``data-t1``) are moved to their times, a polyline's ``data-tpoints`` ("t:y ...") redrawn and the
``g.axis`` ticks remade (``report.charts``). The script takes the SVG namespace from the chart
itself, so the file holds no address at all.

Filter: rows of ``#tx-table`` whose text contains the filter box's text (any case) and, if a
status is chosen, whose ``data-status`` is it; the count shown is updated. A click on a column
heading sorts by it, largest first (a second click: smallest first); "184 µs", "19.9 kB" and
plain numbers sort by value, "–" last, other text alphabetically.
"""

ZOOM = r"""
(function(){
function label(v){var a=Math.abs(v);if(a<1e-9)return '0';
 if(a<1e-3)return (v*1e6).toFixed(0)+' \u00b5s';if(a<1)return +(v*1e3).toPrecision(4)+' ms';
 return +v.toPrecision(4)+' s';}
function step(span){var raw=span/6,p=Math.pow(10,Math.floor(Math.log10(raw)));
 var m=[1,2,5,10];for(var i=0;i<m.length;i++){if(m[i]*p>=raw)return m[i]*p;}return 10*p;}
function axis(svg,lo,hi,L,P){var g=svg.querySelector('g.axis');if(!g)return;
 var ns=svg.namespaceURI,y=+g.getAttribute('data-y'),s=step(hi-lo);g.textContent='';
 for(var t=Math.ceil(lo/s)*s;t<=hi;t+=s){var x=(L+(t-lo)*P/(hi-lo)).toFixed(1);
  var l=document.createElementNS(ns,'line');l.setAttribute('x1',x);l.setAttribute('x2',x);
  l.setAttribute('y1',y);l.setAttribute('y2',y+4);l.setAttribute('stroke','#444');g.appendChild(l);
  var tx=document.createElementNS(ns,'text');tx.setAttribute('x',x);tx.setAttribute('y',y+16);
  tx.setAttribute('font-size','10');tx.setAttribute('text-anchor','middle');
  tx.setAttribute('fill','#444');tx.textContent=label(t);g.appendChild(tx);}}
function place(svg,lo,hi){placeOne(svg,lo,hi);var g=svg.getAttribute('data-group');if(!g)return;
 document.querySelectorAll('svg.zoomable').forEach(function(o){
  if(o!==svg&&o.getAttribute('data-group')===g)placeOne(o,lo,hi);});}
function placeOne(svg,lo,hi){var L=+svg.getAttribute('data-left'),P=+svg.getAttribute('data-plot');
 var k=P/(hi-lo);function X(t){return (L+(t-lo)*k).toFixed(1);}
 svg.querySelectorAll('[data-t0]').forEach(function(e){var t0=+e.getAttribute('data-t0');
  var tag=e.tagName.toLowerCase();
  if(tag==='rect'){var t1=e.hasAttribute('data-t1')?+e.getAttribute('data-t1'):t0;
   e.setAttribute('x',X(t0));e.setAttribute('width',Math.max((t1-t0)*k,1).toFixed(1));}
  else if(tag==='line'){e.setAttribute('x1',X(t0));e.setAttribute('x2',X(t0));}
  else{e.setAttribute('transform','translate('+X(t0)+','+e.getAttribute('data-y')+')');}});
 svg.querySelectorAll('[data-tpoints]').forEach(function(e){
  e.setAttribute('points',e.getAttribute('data-tpoints').split(' ').map(function(p){
   var q=p.split(':');return X(+q[0])+','+q[1];}).join(' '));});
 axis(svg,lo,hi,L,P);svg.zoom={lo:lo,hi:hi};}
function init(svg){var lo0=+svg.getAttribute('data-lo'),hi0=+svg.getAttribute('data-hi');
 var L=+svg.getAttribute('data-left'),P=+svg.getAttribute('data-plot'),span=hi0-lo0;
 svg.zoom={lo:lo0,hi:hi0};
 function at(ev){var r=svg.getBoundingClientRect();
  return (ev.clientX-r.left)*svg.viewBox.baseVal.width/r.width;}
 function zoom(f,centre){var z=svg.zoom,w=Math.max(Math.min((z.hi-z.lo)*f,span),span*1e-6);
  var c=z.lo+centre*(z.hi-z.lo),lo=Math.max(lo0,Math.min(c-centre*w,hi0-w));place(svg,lo,lo+w);}
 svg.zoomBy=zoom;svg.zoomReset=function(){place(svg,lo0,hi0);};
 svg.addEventListener('wheel',function(ev){ev.preventDefault();
  var c=Math.min(Math.max((at(ev)-L)/P,0),1);zoom(ev.deltaY<0?0.8:1.25,c);},{passive:false});
 var drag=null;
 svg.addEventListener('mousedown',function(ev){drag={x:at(ev),lo:svg.zoom.lo,hi:svg.zoom.hi};});
 window.addEventListener('mouseup',function(){drag=null;});
 svg.addEventListener('mousemove',function(ev){if(!drag)return;var w=drag.hi-drag.lo;
  var lo=drag.lo-(at(ev)-drag.x)*w/P;lo=Math.max(lo0,Math.min(lo,hi0-w));place(svg,lo,lo+w);});
 svg.addEventListener('dblclick',svg.zoomReset);}
document.querySelectorAll('svg.zoomable').forEach(init);
document.querySelectorAll('.zoom button').forEach(function(b){b.addEventListener('click',
 function(){var svg=document.getElementById(b.parentNode.getAttribute('data-for'));
  if(!svg||!svg.zoomBy)return;var f=+b.getAttribute('data-f');
  if(f)svg.zoomBy(f,0.5);else svg.zoomReset();});});
})();
"""

FILTER = r"""
(function(){var q=document.getElementById('tx-filter'),st=document.getElementById('tx-status');
 var shown=document.getElementById('tx-shown');if(!q)return;
 var body=document.querySelector('#tx-table tbody'),rows=body.querySelectorAll('tr');
 function apply(){var text=q.value.toLowerCase(),s=st?st.value:'',n=0;
  rows.forEach(function(r){var ok=(!s||r.getAttribute('data-status')===s)&&
   (!text||r.textContent.toLowerCase().indexOf(text)>=0);r.style.display=ok?'':'none';
   if(ok)n++;});shown.textContent=n;}
 q.addEventListener('input',apply);if(st)st.addEventListener('change',apply);
 var U={'µs':1e-6,'ms':1e-3,'s':1,'B':1,'kB':1e3,'MB':1e6,'GB':1e9};
 function value(t){var m=/^(-?[\d.]+)\s*(µs|ms|s|B|kB|MB|GB)?/.exec(t.trim());
  return m?parseFloat(m[1])*(U[m[2]]||1):null;}
 document.querySelectorAll('#tx-table th').forEach(function(th,i){
  th.style.cursor='pointer';th.title='sort';th.addEventListener('click',function(){
   var down=th.getAttribute('data-sorted')!=='down';
   document.querySelectorAll('#tx-table th').forEach(function(h){h.removeAttribute('data-sorted');});
   th.setAttribute('data-sorted',down?'down':'up');
   var list=Array.prototype.slice.call(body.querySelectorAll('tr'));
   list.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;
    var vx=value(x),vy=value(y),c=(vx!==null&&vy!==null)?vx-vy:(vx!==null?-1:(vy!==null?1:
     x.localeCompare(y)));return down?-c:c;});
   list.forEach(function(r){body.appendChild(r);});});});})();
"""


def zoom_controls(chart_id: str) -> str:
    """The +/-/reset buttons of one zoomable chart (the wheel and dragging work too)."""
    return (f'<div class="zoom" data-for="{chart_id}"><button type="button" data-f="0.5">'
            '+</button><button type="button" data-f="2">&minus;</button>'
            '<button type="button" data-f="0">reset</button>'
            '<span class="muted"> wheel: zoom · drag: pan · double-click: all</span></div>')
