// A markers layer on the candles that holds lightweight-charts' markers primitive only while it has
// markers to draw. An attached primitive, even an empty one, reads the whole series back as new
// objects (series.data()) after every data change, in its next frame: three layers (signals,
// alerts, trend labels) did it three times for 10,000 bars before the first paint, and again on
// every live update. An empty primitive draws nothing and adds no autoscale margin, so the chart
// shows the same without it. (A layer attached later is drawn over those attached before it.)
import {
  createSeriesMarkers,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type SeriesType,
  type Time,
} from 'lightweight-charts';

export interface MarkerLayer {
  /** Replaces the markers (in time order); none detaches the primitive. */
  setMarkers(markers: SeriesMarker<Time>[]): void;
  markers(): readonly SeriesMarker<Time>[];
  /** For good: later markers are ignored. */
  detach(): void;
}

export function markerLayer(series: ISeriesApi<SeriesType, Time>): MarkerLayer {
  let plugin: ISeriesMarkersPluginApi<Time> | null = null;
  let detached = false;
  const drop = (): void => {
    plugin?.detach();
    plugin = null;
  };
  return {
    setMarkers(markers) {
      if (detached) return;
      if (markers.length === 0) drop();
      else if (plugin) plugin.setMarkers(markers);
      else plugin = createSeriesMarkers(series, markers);
    },
    markers: () => plugin?.markers() ?? [],
    detach() {
      detached = true;
      drop();
    },
  };
}
